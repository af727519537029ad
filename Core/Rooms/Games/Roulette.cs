// /roulette and /coin: a European wheel (0–36, single zero) and a fair coin from a commit-reveal seed.
namespace P2PChat.Core.Rooms.Games;

public static class Roulette
{
    private static readonly HashSet<int> Reds = [1, 3, 5, 7, 9, 12, 14, 16, 18, 19, 21, 23, 25, 27, 30, 32, 34, 36];

    /// <summary>The pocket (0..36) and its colour (green, red, black).</summary>
    public static (int Pocket, string Colour) Spin(ReadOnlySpan<byte> seed)
    {
        var pocket = FairDraw.Uniform(seed, 0, 37);
        return (pocket, pocket == 0 ? "green" : Reds.Contains(pocket) ? "red" : "black");
    }

    public static string Coin(ReadOnlySpan<byte> seed) => FairDraw.Uniform(seed, 0, 2) == 0 ? "heads" : "tails";
}

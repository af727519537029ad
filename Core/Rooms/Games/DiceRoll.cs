// /roll NdM: the dice notation and the dice a commit-reveal seed gives.
using System.Globalization;
using System.Text.RegularExpressions;

namespace P2PChat.Core.Rooms.Games;

/// <summary>N dice (1..20) of M sides (2..1000); die i = FairDraw.Uniform(seed, i, M) + 1.</summary>
public static partial class DiceRoll
{
    public const int MaxDice = 20;
    public const int MaxSides = 1000;

    [GeneratedRegex(@"^(\d{1,2})?d(\d{1,4})$", RegexOptions.IgnoreCase)]
    private static partial Regex Notation();

    /// <summary>"2d6", "d20"; null text means 1d6.</summary>
    public static (byte Dice, ushort Sides) Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return (1, 6);
        var m = Notation().Match(text.Trim());
        if (!m.Success) throw new RoomProtocolException($"'{text}' is not dice notation like 2d6");
        var n = m.Groups[1].Success ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 1;
        var sides = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        if (n is < 1 or > MaxDice || sides is < 2 or > MaxSides)
            throw new RoomProtocolException($"1 to {MaxDice} dice of 2 to {MaxSides} sides");
        return ((byte)n, (ushort)sides);
    }

    public static IReadOnlyList<int> Roll(ReadOnlySpan<byte> seed, byte dice, ushort sides)
    {
        if (dice is < 1 or > MaxDice || sides is < 2 or > MaxSides) throw new RoomProtocolException("bad dice");
        var result = new int[dice];
        for (var i = 0; i < dice; i++) result[i] = FairDraw.Uniform(seed, (uint)i, sides) + 1;
        return result;
    }
}

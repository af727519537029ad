// Gives every nickname a stable colour (same nick, same colour, on every run and machine).
using Spectre.Console;

namespace P2PChat.Peer.Tui.Text;

/// <summary>Hashes the lower-cased nick with FNV-1a (string.GetHashCode is randomised per process) into a readable palette.</summary>
public static class NickColor
{
    private static readonly Color[] Palette =
    [
        Color.Aqua, Color.Lime, Color.Yellow, Color.Fuchsia, Color.DodgerBlue1, Color.Orange1, Color.SpringGreen2,
        Color.HotPink, Color.MediumPurple1, Color.Gold1, Color.DarkOrange, Color.LightSkyBlue1, Color.Chartreuse1,
        Color.Plum1, Color.Salmon1, Color.Turquoise2,
    ];

    public static Color For(string nick)
    {
        uint hash = 2166136261;
        foreach (char c in nick.ToLowerInvariant())
        {
            hash ^= c;
            hash *= 16777619;
        }
        return Palette[hash % (uint)Palette.Length];
    }
}

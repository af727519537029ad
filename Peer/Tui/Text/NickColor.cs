// Gives every nickname a stable colour (same nick, same colour, on every run and machine).
using Terminal.Gui.Drawing;

namespace P2PChat.Peer.Tui.Text;

/// <summary>Hashes the lower-cased nick with FNV-1a (string.GetHashCode is randomised per process) into a readable palette.</summary>
public static class NickColor
{
    private static readonly Color[] Palette =
    [
        Rgb(0x00, 0xff, 0xff), Rgb(0x00, 0xff, 0x00), Rgb(0xff, 0xff, 0x00), Rgb(0xff, 0x00, 0xff), Rgb(0x00, 0x87, 0xff),
        Rgb(0xff, 0xaf, 0x00), Rgb(0x00, 0xd7, 0x5f), Rgb(0xff, 0x5f, 0xaf), Rgb(0xaf, 0x87, 0xff), Rgb(0xff, 0xd7, 0x00),
        Rgb(0xff, 0x87, 0x00), Rgb(0xaf, 0xd7, 0xff), Rgb(0x87, 0xff, 0x00), Rgb(0xff, 0xaf, 0xff), Rgb(0xff, 0x87, 0x87),
        Rgb(0x00, 0xd7, 0xd7),
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

    private static Color Rgb(int r, int g, int b) => new(r, g, b, 255);
}

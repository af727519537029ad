// A room's name on the wire: 64 random bits chosen by its creator, shown as 16 hex digits.
using System.Globalization;
using System.Security.Cryptography;

namespace P2PChat.Core.Rooms;

public readonly record struct RoomId(ulong Value)
{
    public static RoomId NewRandom()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return new RoomId(System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes));
    }

    public static bool TryParse(string text, out RoomId id)
    {
        ulong v = 0;
        var ok = text.Length == 16 && ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out v);
        id = new RoomId(ok ? v : 0);
        return ok;
    }

    public override string ToString() => Value.ToString("x16", CultureInfo.InvariantCulture);
}

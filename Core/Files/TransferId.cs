// The unique id of one file transfer: 16 random bytes, shown as 32 lowercase hex digits.
using System.Security.Cryptography;

namespace P2PChat.Core.Files;

/// <summary>
/// Chosen by the sender when it makes an offer (128 random bits, so ids never collide and cannot be guessed). The
/// receiver's data handler checks it before any file data flows (the seed's failsafe). Users may type any unique prefix.
/// </summary>
public readonly record struct TransferId(UInt128 Value)
{
    public const int Length = 16;

    public static TransferId NewRandom()
    {
        Span<byte> bytes = stackalloc byte[Length];
        RandomNumberGenerator.Fill(bytes);
        return Read(bytes);
    }

    public static TransferId Read(ReadOnlySpan<byte> bytes) => new(System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes[..Length]));

    public void Write(Span<byte> destination) => System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(destination, Value);

    public byte[] ToBytes()
    {
        var bytes = new byte[Length];
        Write(bytes);
        return bytes;
    }

    public static bool TryParse(string text, out TransferId id)
    {
        id = default;
        if (text.Length != 2 * Length || !UInt128.TryParse(text, System.Globalization.NumberStyles.AllowHexSpecifier, null, out var v)) return false;
        id = new TransferId(v);
        return true;
    }

    public override string ToString() => Value.ToString("x32");
}

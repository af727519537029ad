// The crypto formats' use of Core.Bytes: a malformed input is a CryptoProtocolException (Malformed), and the suite check.
using P2PChat.Core.Bytes;

namespace P2PChat.Core.Crypto.Primitives;

internal static class CryptoBytes
{
    /// <summary>Every short read, trailing byte or invalid field of a crypto format: <see cref="CryptoFailure.Malformed"/>.</summary>
    public static readonly MalformedInput Malformed = static (_, message) => new CryptoProtocolException(CryptoFailure.Malformed, message);

    /// <summary>A reader whose errors are <see cref="CryptoProtocolException"/>.</summary>
    public static ByteReader Reader(ReadOnlySpan<byte> data) => new(data, Malformed);

    /// <summary>Reads the suite byte of a key or blob (see <see cref="CryptoSuite"/>); the retired P-256 suite is RetiredSuite.</summary>
    public static void ExpectSuite(this ref ByteReader reader, string what) => CryptoSuite.Expect(reader.ReadByte(), what);
}

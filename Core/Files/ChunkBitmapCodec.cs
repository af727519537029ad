// The verified-chunk bitmap as stored on disk and sent in an accept: layout, checksum and limits. No I/O.
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace P2PChat.Core.Files;

/// <summary>
/// <code>
/// bitmap := "P2PB" | version u8 (1) | chunk count u32 BE | bits (ceil(count / 8) bytes, chunk i = bit i % 8 of byte i / 8)
///           | check (first 4 bytes of SHA-256 over everything before it)
/// </code>
/// Bits past the count must be 0. A bitmap whose check fails (a torn or tampered file) is refused, and the receiver
/// then trusts no chunk rather than a wrong one. At most <see cref="FileManifest.MaxTotalChunks"/> chunks.
/// </summary>
public static class ChunkBitmapCodec
{
    private static ReadOnlySpan<byte> Magic => "P2PB"u8;
    public const byte Version = 1;
    private const int HeaderLength = 9;
    private const int CheckLength = 4;

    public static int EncodedLength(int count) => HeaderLength + (count + 7) / 8 + CheckLength;

    public static byte[] Encode(ChunkBitmap bitmap)
    {
        var bytes = new byte[EncodedLength(bitmap.Count)];
        Magic.CopyTo(bytes);
        bytes[4] = Version;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(5), (uint)bitmap.Count);
        bitmap.Bits.CopyTo(bytes.AsSpan(HeaderLength));
        Check(bytes.AsSpan(0, bytes.Length - CheckLength)).CopyTo(bytes.AsSpan(bytes.Length - CheckLength));
        return bytes;
    }

    /// <exception cref="FileProtocolException">wrong magic, version or length, bits past the count, or a failed check.</exception>
    public static ChunkBitmap Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderLength + CheckLength || !bytes[..4].SequenceEqual(Magic)) throw new FileProtocolException("not a chunk bitmap");
        if (bytes[4] != Version) throw new FileProtocolException($"chunk bitmap version {bytes[4]} is not supported");
        var count = BinaryPrimitives.ReadUInt32BigEndian(bytes[5..]);
        if (count > FileManifest.MaxTotalChunks) throw new FileProtocolException($"a bitmap of {count} chunks");
        if (bytes.Length != EncodedLength((int)count)) throw new FileProtocolException("the chunk bitmap has the wrong length");
        var body = bytes[..^CheckLength];
        if (!Check(body).SequenceEqual(bytes[^CheckLength..])) throw new FileProtocolException("the chunk bitmap's check does not match");
        var bits = body[HeaderLength..].ToArray();
        if (count % 8 != 0 && bits.Length > 0 && (bits[^1] >> (int)(count % 8)) != 0) throw new FileProtocolException("bits set past the last chunk");
        return new ChunkBitmap((int)count, bits);
    }

    private static byte[] Check(ReadOnlySpan<byte> bytes) => SHA256.HashData(bytes)[..CheckLength];
}

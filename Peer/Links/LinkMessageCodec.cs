// The bytes of a PM sent over a contact link: one stream per message, the message, then the receiver's one-byte answer.
using System.Buffers.Binary;

namespace P2PChat.Peer.Links;

/// <summary>
/// <code>
/// stream (kind 0x10 PrivateMessage, written by the sender):   u8 flags (1 encrypted, 2 control) | u32 length BE | body (length bytes)
/// answer (written by the receiver on the same stream):        u8 1 (taken: delivered, or a duplicate it already had)
/// </code>
/// The body is exactly what MSG would carry: the end-to-end envelope (or, without end-to-end encryption, UTF-8 text).
/// A body over <see cref="MaxBody"/>, unknown flags, or a stream that ends early is refused; the sender then gets no
/// answer and the message goes through the server instead.
/// </summary>
public static class LinkMessageCodec
{
    public const int MaxBody = 16 * 1024;
    public const int HeaderLength = 5;
    public const byte Taken = 1;

    [Flags]
    public enum Flags : byte
    {
        None = 0,
        Encrypted = 1,
        Control = 2,
    }

    public static byte[] Encode(Flags flags, ReadOnlySpan<byte> body)
    {
        if (body.Length > MaxBody) throw new ArgumentException($"a linked PM is at most {MaxBody} bytes", nameof(body));
        var bytes = new byte[HeaderLength + body.Length];
        bytes[0] = (byte)flags;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(1), (uint)body.Length);
        body.CopyTo(bytes.AsSpan(HeaderLength));
        return bytes;
    }

    /// <summary>Reads the header; null with a reason when it is refused.</summary>
    public static (Flags Flags, int Length)? ReadHeader(ReadOnlySpan<byte> header, out string? refusal)
    {
        refusal = null;
        var flags = header[0];
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        if ((flags & ~3) != 0) refusal = $"unknown flags {flags}";
        else if (length is 0 or > MaxBody) refusal = $"a body of {length} bytes";
        return refusal is null ? ((Flags)flags, (int)length) : null;
    }
}

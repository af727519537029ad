// The bytes of PMs sent over a contact link: one long-lived stream per link and direction, messages in, one-byte answers back.
using System.Buffers.Binary;

namespace P2PChat.Peer.Links;

/// <summary>
/// <code>
/// stream (kind 0x10 PrivateMessage, opened by the sender's first PM on a link and kept open for the next ones):
///   sender → receiver:  message*   message = u8 flags (1 encrypted, 2 control) | u32 length BE | body (length bytes)
///   receiver → sender:  u8 1 per message, in the order the messages came (taken: delivered, or a duplicate it already had)
/// </code>
/// The body is exactly what MSG would carry: the end-to-end envelope (or, without end-to-end encryption, UTF-8 text).
/// A body over <see cref="MaxBody"/> or unknown flags end the stream (the receiver completes its writes without an
/// answer); the sender then fails every message still unanswered on it, they go through the server instead, and its
/// next PM opens a new stream. A stream that carries one message and then ends (as in the first version, one stream
/// per PM) is read the same way.
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

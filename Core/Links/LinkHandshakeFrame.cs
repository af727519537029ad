// The frames the link handshake exchanges on the first stream of a direct connection: layout and incremental parsing.
using System.Buffers.Binary;

namespace P2PChat.Core.Links;

/// <summary>
/// <code>type u8 | length u16 BE | body (length bytes, at most 1024)</code>
/// Types: 1 HELLO (Noise message 1, initiator → responder), 2 REPLY (message 2), 3 FINISH (message 3),
/// 4 READY (responder → initiator, empty, under the new keys), 5 DONE (a fourth message of earlier versions: never
/// sent now, and refused). See <see cref="LinkHandshakeDriver"/> for the order and why.
/// </summary>
public enum LinkFrameType : byte
{
    Hello = 1,
    Reply = 2,
    Finish = 3,
    Ready = 4,
    Done = 5,
}

public static class LinkHandshakeFrame
{
    public const int HeaderLength = 3;
    public const int MaxBody = 1024;

    public static byte[] Encode(LinkFrameType type, ReadOnlySpan<byte> body)
    {
        if (body.Length > MaxBody) throw new ArgumentException("handshake frame body too long", nameof(body));
        var frame = new byte[HeaderLength + body.Length];
        frame[0] = (byte)type;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(1), (ushort)body.Length);
        body.CopyTo(frame.AsSpan(HeaderLength));
        return frame;
    }

    /// <summary>Takes one whole frame off the front of <paramref name="buffer"/>, if one is there.</summary>
    /// <exception cref="LinkHandshakeException">an unknown type or an over-long body.</exception>
    public static bool TryTake(List<byte> buffer, out LinkFrameType type, out byte[] body)
    {
        type = default;
        body = [];
        if (buffer.Count < HeaderLength) return false;
        type = (LinkFrameType)buffer[0];
        if (!Enum.IsDefined(type)) throw new LinkHandshakeException($"unknown handshake frame type {buffer[0]}");
        int length = buffer[1] << 8 | buffer[2];
        if (length > MaxBody) throw new LinkHandshakeException($"handshake frame of {length} bytes exceeds {MaxBody}");
        if (buffer.Count < HeaderLength + length) return false;
        body = buffer.GetRange(HeaderLength, length).ToArray();
        buffer.RemoveRange(0, HeaderLength + length);
        return true;
    }
}

/// <summary>The link handshake failed: a bad frame, a frame out of order, or an identity that was not the expected one.</summary>
public sealed class LinkHandshakeException(string message, Exception? inner = null) : Exception(message, inner);

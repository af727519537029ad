// The base of every client-server frame record, and which way a frame travels.
using P2PChat.Core.Bytes;

namespace P2PChat.Core.Protocol.Frames;

public enum FrameDirection
{
    /// <summary>Sent by a client to the server.</summary>
    ToServer,
    /// <summary>Sent by the server to a client.</summary>
    ToClient,
}

/// <summary>A frame: an opcode and its payload. Layouts are in <see cref="Protocol.Opcode"/>.</summary>
public abstract record Frame
{
    public abstract Opcode Opcode { get; }
    internal abstract void WritePayload(WireWriter w);
}

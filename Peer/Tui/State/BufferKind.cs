// What a buffer holds; also the order buffers are listed in.
namespace P2PChat.Peer.Tui.State;

public enum BufferKind
{
    /// <summary>The always-present general channel (id "#general").</summary>
    General = 0,
    /// <summary>A named channel, id "#name".</summary>
    Channel = 1,
    /// <summary>A private conversation with one peer, id "@nick".</summary>
    Private = 2,
    /// <summary>A private room over direct links (later issue), id "&amp;name".</summary>
    Room = 3,
}

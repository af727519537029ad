// A read-only snapshot of one buffer for callers outside the render loop (tests, the command layer).
namespace P2PChat.Peer.Tui.State;

/// <param name="ScrollOffset">Display lines above the bottom the view is pinned at (0 = following the tail).</param>
public sealed record BufferSummary(string Id, BufferKind Kind, string Title, int Unread, int Highlights, int MessageCount, int ScrollOffset, PeerRoute Route);

// The hooks direct links use on the server connection: link frames go to the link layer, which sends its own frames.
using P2PChat.Core.Protocol.Frames;
using P2PChat.Peer.Events;

namespace P2PChat.Peer.Server;

public sealed partial class ServerConnection
{
    /// <summary>
    /// Sees every frame from the server before the connection does (on the read loop: it must not block); returns true
    /// for a frame it took (INTRO, RELAY, and the STATUS answers to LINK, CANDIDATES and RELAY), which is then ignored here.
    /// </summary>
    public Func<Frame, bool>? LinkFrames { get; set; }

    /// <summary>Sends a link frame (LINK, CANDIDATES, RELAY) on the current connection.</summary>
    /// <exception cref="CommandFailedException">not connected.</exception>
    public ValueTask SendLinkFrameAsync(Frame frame, CancellationToken ct) => SendAsync(frame, ct);
}

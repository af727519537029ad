// The hooks direct links use on the server connection: link frames go to the link layer, which sends its own frames.
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Protocol.Frames;

namespace P2PChat.Peer.Client;

public sealed partial class RendezvousClient
{
    /// <summary>
    /// Sees every frame from the server before the client does (on the read loop: it must not block); returns true for
    /// a frame it took (INTRO, RELAY, and the STATUS answers to LINK, CANDIDATES and RELAY), which the client then ignores.
    /// </summary>
    public Func<Frame, bool>? LinkFrames { get; set; }

    /// <summary>Sends a link frame (LINK, CANDIDATES, RELAY) on the current connection.</summary>
    /// <exception cref="CommandFailedException">not connected.</exception>
    public ValueTask SendLinkFrameAsync(Frame frame, CancellationToken ct) => SendAsync(frame, ct);

    /// <summary>Our identity key pair (what a link handshake proves); null until the keys are open at sign-in.</summary>
    public IdentityKeyPair? LinkIdentity => _e2e.LinkIdentity;

    /// <summary>The key the trust book accepts for <paramref name="user"/> (see <see cref="E2e.EndToEnd.AcceptedKey"/>),
    /// after noting <paramref name="announced"/> as the server's word for it (as an ADD would).</summary>
    public IdentityPublicKey? AcceptedKey(string user, byte[] announced)
    {
        _e2e.ObserveAnnounced(user, announced);
        return _e2e.AcceptedKey(user);
    }
}

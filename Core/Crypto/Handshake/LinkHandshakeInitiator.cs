// The initiator side of the link handshake: writes message 1, reads message 2, writes message 3.
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Crypto.Primitives;

namespace P2PChat.Core.Crypto.Handshake;

/// <summary>
/// <code>
/// var hs = new LinkHandshakeInitiator(me, expectedRemote: bobsKeyOnRecord, prologue);
/// send(hs.WriteMessage1());
/// var payload2 = hs.ReadMessage2(receive());   // throws UnexpectedIdentity if bob is not bobsKeyOnRecord
/// send(hs.WriteMessage3());
/// using var keys = hs.Keys;
/// </code>
/// The prologue must be identical on both sides (e.g. "p2pchat link v1" | both user ids); it is authenticated, not sent.
/// </summary>
public sealed class LinkHandshakeInitiator(IdentityKeyPair local, IdentityPublicKey? expectedRemote, ReadOnlySpan<byte> prologue, IKeySource? keys = null)
    : LinkHandshake(local.Public, local.Agreement, expectedRemote, prologue, keys, initiator: true)
{
    /// <summary>-> e. The payload travels in clear: leave it empty unless it is public.</summary>
    public byte[] WriteMessage1(ReadOnlySpan<byte> payload = default)
    {
        var copy = payload.ToArray();
        return Step(LinkHandshakeState.Start, LinkHandshakeState.AfterFirst, () => Noise.WriteMessage(copy));
    }

    /// <summary>&lt;- e, ee, s, es. Returns the responder's payload.</summary>
    public byte[] ReadMessage2(ReadOnlySpan<byte> message)
    {
        var copy = message.ToArray();
        return Step(LinkHandshakeState.AfterFirst, LinkHandshakeState.AfterSecond, () => ReadIdentified(copy));
    }

    /// <summary>-> s, se. After this the handshake is Complete.</summary>
    public byte[] WriteMessage3(ReadOnlySpan<byte> payload = default)
    {
        var copy = payload.ToArray();
        return Step(LinkHandshakeState.AfterSecond, LinkHandshakeState.Complete, () =>
        {
            var message = WriteIdentified(copy);
            Finish(isInitiator: true);
            return message;
        });
    }
}

// The responder side of the link handshake: reads message 1, writes message 2, reads message 3.
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Crypto.Primitives;

namespace P2PChat.Core.Crypto.Handshake;

/// <summary>
/// <code>
/// var hs = new LinkHandshakeResponder(me, expectedRemote: null or aliceKeyOnRecord, prologue);
/// hs.ReadMessage1(receive());
/// send(hs.WriteMessage2());
/// var payload3 = hs.ReadMessage3(receive());   // now hs.RemoteIdentity is proven; compare with the key on record
/// using var keys = hs.Keys;
/// </code>
/// </summary>
public sealed class LinkHandshakeResponder : LinkHandshake
{
    public LinkHandshakeResponder(IdentityKeyPair local, IdentityPublicKey? expectedRemote, ReadOnlySpan<byte> prologue, IKeySource? keys = null)
        : base(local.Public, local.Agreement, expectedRemote, prologue, keys, initiator: false)
    {
    }

    // For the KCI test: a party that announces an identity (its agreement key as Noise "s") while holding some other key.
    internal LinkHandshakeResponder(IdentityPublicKey claimedIdentity, AgreementKeyPair heldStatic, ReadOnlySpan<byte> prologue, IKeySource? keys)
        : base(claimedIdentity, heldStatic, null, prologue, keys, initiator: false, claimedIdentity.AgreementKey.ToArray())
    {
    }

    /// <summary>-> e. Returns the initiator's (clear) payload.</summary>
    public byte[] ReadMessage1(ReadOnlySpan<byte> message)
    {
        var copy = message.ToArray();
        return Step(LinkHandshakeState.Start, LinkHandshakeState.AfterFirst, () => Noise.ReadMessage(copy));
    }

    /// <summary>&lt;- e, ee, s, es.</summary>
    public byte[] WriteMessage2(ReadOnlySpan<byte> payload = default)
    {
        var copy = payload.ToArray();
        return Step(LinkHandshakeState.AfterFirst, LinkHandshakeState.AfterSecond, () => WriteIdentified(copy));
    }

    /// <summary>-> s, se. Returns the initiator's payload; after this the handshake is Complete.</summary>
    public byte[] ReadMessage3(ReadOnlySpan<byte> message)
    {
        var copy = message.ToArray();
        return Step(LinkHandshakeState.AfterSecond, LinkHandshakeState.Complete, () =>
        {
            var payload = ReadIdentified(copy);
            Finish(isInitiator: false);
            return payload;
        });
    }
}

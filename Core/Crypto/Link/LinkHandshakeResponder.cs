// The responder side of the link handshake: reads message 1, writes message 2, reads message 3.
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Crypto.Primitives;

namespace P2PChat.Core.Crypto.Link;

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
        : base(local.Public, local.Agreement, expectedRemote, prologue, keys)
    {
    }

    // For the KCI test: a party that claims an identity while holding some other agreement key.
    internal LinkHandshakeResponder(IdentityPublicKey claimedIdentity, P256KeyPair heldStatic, ReadOnlySpan<byte> prologue, IKeySource? keys)
        : base(claimedIdentity, heldStatic, null, prologue, keys)
    {
    }

    /// <summary>-> e. Returns the initiator's (clear) payload.</summary>
    public byte[] ReadMessage1(ReadOnlySpan<byte> message)
    {
        var copy = message.ToArray();
        return Step(LinkHandshakeState.Start, LinkHandshakeState.AfterFirst, () =>
        {
            var reader = new ByteReader(copy);
            ReadEphemeral(ref reader);
            return ReadPayload(ref reader);
        });
    }

    /// <summary>&lt;- e, ee, s, es.</summary>
    public byte[] WriteMessage2(ReadOnlySpan<byte> payload = default)
    {
        var copy = payload.ToArray();
        return Step(LinkHandshakeState.AfterFirst, LinkHandshakeState.AfterSecond, () =>
        {
            var writer = new ByteWriter(P256.PublicKeyLength + IdentityPublicKey.EncodedLength + Aead.TagLength * 2 + copy.Length);
            WriteEphemeral(writer);
            MixEphemeralEphemeral();
            WriteStatic(writer);
            MixLocalStaticRemoteEphemeral();
            return writer.Bytes(Symmetric.EncryptAndHash(copy)).ToArray();
        });
    }

    /// <summary>-> s, se. Returns the initiator's payload; after this the handshake is Complete.</summary>
    public byte[] ReadMessage3(ReadOnlySpan<byte> message)
    {
        var copy = message.ToArray();
        return Step(LinkHandshakeState.AfterSecond, LinkHandshakeState.Complete, () =>
        {
            var reader = new ByteReader(copy);
            ReadStatic(ref reader);
            MixLocalEphemeralRemoteStatic();
            var payload = ReadPayload(ref reader);
            Finish(isInitiator: false);
            return payload;
        });
    }
}

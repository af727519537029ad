// The shared part of both link handshake roles: standard Noise_XX_25519_ChaChaPoly_SHA256 with the identity keys bound in.
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Crypto.Primitives;

namespace P2PChat.Core.Crypto.Handshake;

/// <summary>
/// Standard Noise XX (<see cref="NoiseXXHandshake"/>, suite <see cref="NoiseSuite.ChaChaPoly"/>): the Noise static key
/// "s" is the identity's X25519 agreement key; the identity's Ed25519 signing key travels as the first 32 bytes of the
/// (encrypted, authenticated) payload of messages 2 and 3, so the proven identity is
/// <c>suite 0x02 | signing key from the payload | Noise rs</c>, compared whole with the key on record.
/// <code>
/// message 1 (initiator → responder): e (32) | payload (clear)
/// message 2 (responder → initiator): e (32) | encrypted s (32 + 16) | encrypted (signing key (32) | payload) (32 + len + 16)
/// message 3 (initiator → responder): encrypted s (32 + 16) | encrypted (signing key (32) | payload) (32 + len + 16)
/// </code>
/// XX gives each payload from message 2 on sender authentication that resists key-compromise impersonation
/// (Noise payload property 2): "es"/"se" mix DH(receiver's ephemeral, sender's static), which a holder of the
/// receiver's static key alone cannot compute. The signing key is bound by the handshake hash: changing it changes h
/// and fails the tag; pairing one's own agreement key with someone else's signing key yields an identity equal to
/// nobody's on record.
/// State machine: see <see cref="LinkHandshakeState"/>.
/// </summary>
public abstract class LinkHandshake : IDisposable
{
    private protected readonly NoiseXXHandshake Noise;
    private readonly AgreementKeyPair _ephemeral;
    private readonly IdentityPublicKey _localIdentity;
    private readonly IdentityPublicKey? _expectedRemote;
    private LinkKeys? _keys;

    private protected LinkHandshake(IdentityPublicKey localIdentity, AgreementKeyPair localStatic, IdentityPublicKey? expectedRemote,
        ReadOnlySpan<byte> prologue, IKeySource? keys, bool initiator, ReadOnlyMemory<byte>? claimedStatic = null)
    {
        _localIdentity = localIdentity;
        _expectedRemote = expectedRemote;
        _ephemeral = AgreementKeyPair.Generate(keys ?? SystemKeySource.Instance, exportable: false);
        Noise = new NoiseXXHandshake(Suite, initiator, localStatic, _ephemeral, prologue, claimedStatic);
    }

    /// <summary>The Noise suite of every link: chosen by measurement, see docs/security.md section 8.</summary>
    internal static NoiseSuite Suite => NoiseSuite.ChaChaPoly;

    public LinkHandshakeState State { get; private protected set; }

    /// <summary>The identity the other side proved, once its "s" and payload were read.</summary>
    public IdentityPublicKey? RemoteIdentity { get; private set; }

    /// <summary>The link keys; only in state Complete.</summary>
    public LinkKeys Keys => State == LinkHandshakeState.Complete && _keys is not null
        ? _keys
        : throw new CryptoProtocolException(CryptoFailure.InvalidState, "handshake not complete");

    // Runs one step; a rejection moves the state machine to Failed.
    private protected T Step<T>(LinkHandshakeState expected, LinkHandshakeState next, Func<T> step)
    {
        if (State != expected) throw new CryptoProtocolException(CryptoFailure.InvalidState, $"handshake is {State}, expected {expected}");
        try
        {
            var result = step();
            State = next;
            return result;
        }
        catch
        {
            State = LinkHandshakeState.Failed;
            throw;
        }
    }

    /// <summary>Messages 2 and 3: our signing key, then the caller's payload, encrypted by Noise.</summary>
    private protected byte[] WriteIdentified(ReadOnlySpan<byte> payload) => Noise.WriteMessage([.. _localIdentity.SigningKey, .. payload]);

    /// <summary>Messages 2 and 3 of the other side: proves its identity (checked against the expected one) and returns its payload.</summary>
    private protected byte[] ReadIdentified(ReadOnlySpan<byte> message)
    {
        var plaintext = Noise.ReadMessage(message);
        if (plaintext.Length < SigningKeyPair.PublicKeyLength)
            throw new CryptoProtocolException(CryptoFailure.Malformed, "link handshake payload lacks the signing key");
        var signing = plaintext.AsSpan(0, SigningKeyPair.PublicKeyLength);
        SigningKeyPair.ValidatePublic(signing);
        var identity = IdentityPublicKey.FromKeys(signing, Noise.RemoteStatic);
        if (_expectedRemote is not null && !_expectedRemote.Equals(identity))
            throw new CryptoProtocolException(CryptoFailure.UnexpectedIdentity, "peer proved a different identity key than expected");
        RemoteIdentity = identity;
        return plaintext[SigningKeyPair.PublicKeyLength..];
    }

    private protected void Finish(bool isInitiator)
    {
        var (first, second) = Noise.Split();
        _keys = isInitiator
            ? new LinkKeys(first, second, Noise.HandshakeHash.ToArray(), RemoteIdentity!, true)
            : new LinkKeys(second, first, Noise.HandshakeHash.ToArray(), RemoteIdentity!, false);
    }

    public void Dispose()
    {
        Noise.Dispose();
        _ephemeral.Dispose();
    }
}

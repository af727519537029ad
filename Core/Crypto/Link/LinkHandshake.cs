// The shared part of both link handshake roles: Noise XX token processing over P-256 with identity keys as statics.
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Crypto.Primitives;

namespace P2PChat.Core.Crypto.Link;

/// <summary>
/// Noise XX, named "P2PChat_XX_P256_AESGCM_SHA256_v1":
/// <code>
/// -> e
/// &lt;- e, ee, s, es
/// -> s, se
/// </code>
/// Deviation from plain Noise: a static "s" is the full 131-byte identity (signing and agreement keys), and DH with
/// "s" uses its agreement key, so the handshake binds both identity keys. e = fresh P-256 key, 65 bytes.
/// Message layouts (payloads are optional, encrypted once a key exists):
/// <code>
/// message 1 (initiator → responder): e (65) | payload (clear)
/// message 2 (responder → initiator): e (65) | encrypted s (131 + 16) | encrypted payload (len + 16)
/// message 3 (initiator → responder): encrypted s (131 + 16) | encrypted payload (len + 16)
/// </code>
/// XX gives each payload from message 2 on sender authentication that resists key-compromise impersonation
/// (Noise payload property 2): "es"/"se" mix DH(receiver's ephemeral, sender's static), which a holder of the
/// receiver's static key alone cannot compute.
/// State machine: see <see cref="LinkHandshakeState"/>.
/// Common token operations of <see cref="LinkHandshakeInitiator"/> and <see cref="LinkHandshakeResponder"/>.
/// </summary>
public abstract class LinkHandshake : IDisposable
{
    private protected readonly NoiseSymmetricState Symmetric;
    private protected readonly P256KeyPair Ephemeral;
    private readonly IdentityPublicKey _localIdentity;
    private readonly P256KeyPair _localStatic;
    private readonly IdentityPublicKey? _expectedRemote;
    private protected byte[]? RemoteEphemeral;
    private LinkKeys? _keys;

    private protected LinkHandshake(IdentityPublicKey localIdentity, P256KeyPair localStatic, IdentityPublicKey? expectedRemote, ReadOnlySpan<byte> prologue, IKeySource? keys)
    {
        _localIdentity = localIdentity;
        _localStatic = localStatic;
        _expectedRemote = expectedRemote;
        Symmetric = new NoiseSymmetricState(ProtocolLabels.LinkProtocolName, prologue);
        Ephemeral = P256KeyPair.Generate(keys ?? SystemKeySource.Instance);
    }

    public LinkHandshakeState State { get; private protected set; }

    /// <summary>The identity the other side proved, once its "s" was read.</summary>
    public IdentityPublicKey? RemoteIdentity { get; private set; }

    /// <summary>The link keys; only in state Complete.</summary>
    public LinkKeys Keys => State == LinkHandshakeState.Complete && _keys is not null
        ? _keys
        : throw new CryptoProtocolException(CryptoFailure.InvalidState, "handshake not complete");

    private protected void Expect(LinkHandshakeState state)
    {
        if (State != state) throw new CryptoProtocolException(CryptoFailure.InvalidState, $"handshake is {State}, expected {state}");
    }

    // Runs one step; a rejection moves the state machine to Failed.
    private protected T Step<T>(LinkHandshakeState expected, LinkHandshakeState next, Func<T> step)
    {
        Expect(expected);
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

    private protected void WriteEphemeral(ByteWriter writer)
    {
        writer.Bytes(Ephemeral.PublicKey.Span);
        Symmetric.MixHash(Ephemeral.PublicKey.Span);
    }

    private protected void ReadEphemeral(ref ByteReader reader)
    {
        var remote = reader.ReadArray(P256.PublicKeyLength);
        P256.ValidatePublic(remote);
        RemoteEphemeral = remote;
        Symmetric.MixHash(remote);
    }

    private protected void WriteStatic(ByteWriter writer) => writer.Bytes(Symmetric.EncryptAndHash(_localIdentity.Encoded));

    private protected void ReadStatic(ref ByteReader reader)
    {
        var identity = IdentityPublicKey.Decode(Symmetric.DecryptAndHash(reader.ReadBytes(IdentityPublicKey.EncodedLength + Aead.TagLength)));
        if (_expectedRemote is not null && !_expectedRemote.Equals(identity))
            throw new CryptoProtocolException(CryptoFailure.UnexpectedIdentity, "peer proved a different identity key than expected");
        RemoteIdentity = identity;
    }

    /// <summary>"ee": DH(local e, remote e).</summary>
    private protected void MixEphemeralEphemeral() => Symmetric.MixKey(Ephemeral.Agree(RemoteEphemeral!));

    /// <summary>DH(local e, remote s): "es" on the initiator, "se" on the responder.</summary>
    private protected void MixLocalEphemeralRemoteStatic() => Symmetric.MixKey(Ephemeral.Agree(RemoteIdentity!.AgreementKey));

    /// <summary>DH(local s, remote e): "es" on the responder, "se" on the initiator.</summary>
    private protected void MixLocalStaticRemoteEphemeral() => Symmetric.MixKey(_localStatic.Agree(RemoteEphemeral!));

    private protected byte[] ReadPayload(ref ByteReader reader) => Symmetric.DecryptAndHash(reader.ReadRest());

    private protected void Finish(bool isInitiator)
    {
        var (first, second) = Symmetric.Split();
        _keys = isInitiator
            ? new LinkKeys(first, second, Symmetric.HandshakeHash.ToArray(), RemoteIdentity!, true)
            : new LinkKeys(second, first, Symmetric.HandshakeHash.ToArray(), RemoteIdentity!, false);
    }

    public void Dispose()
    {
        Symmetric.Dispose();
        Ephemeral.Dispose();
    }
}

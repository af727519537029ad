// One end-to-end session with one contact: X3DH start, then the Double Ratchet; serialisable for the peer to persist sealed.
using P2PChat.Core.Bytes;
using System.Security.Cryptography;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Crypto.Prekeys;
using P2PChat.Core.Crypto.Primitives;
using P2PChat.Core.Crypto.Vault;

namespace P2PChat.Core.Crypto.Ratchet;

/// <summary>
/// Use:
/// <list type="bullet">
/// <item>Initiator: <see cref="Initiate"/> with the contact's <see cref="PrekeyBundle"/>; <see cref="Encrypt"/> emits
/// prekey envelopes until the first reply is decrypted, then ratchet envelopes.</item>
/// <item>Responder: on an envelope of kind Prekey with no matching session (<see cref="Matches"/>), look up the prekeys
/// named in <see cref="MessageEnvelope.Prekey"/> and call <see cref="Accept"/>; then delete the one-time prekey.
/// Compare <see cref="RemoteIdentity"/> with the key on record for that user: a difference is a key change.</item>
/// </list>
/// Serialised layout (suite 0x02):
/// <code>
/// suite (1) | local identity (65) | remote identity (65) | is initiator (1)
/// | has pending prekey info (1) | [base key (32) | signed prekey id u32 | has one-time (1) | [one-time id u32]]
/// | ratchet state (see DoubleRatchet)
/// </code>
/// The pending prekey info is the initiator's until its first reply; the responder keeps the base key it accepted,
/// so a retransmitted prekey message is routed to this session (and rejected as a replay if already read).
/// </summary>
public sealed class PairwiseSession : IDisposable
{
    private readonly byte[] _associatedData;
    private readonly DoubleRatchet _ratchet;
    private PendingPrekey? _pending;

    private PairwiseSession(IdentityPublicKey local, IdentityPublicKey remote, bool isInitiator, PendingPrekey? pending, DoubleRatchet ratchet)
    {
        LocalIdentity = local;
        RemoteIdentity = remote;
        IsInitiator = isInitiator;
        _pending = pending;
        _ratchet = ratchet;
        _associatedData = isInitiator ? X3dh.AssociatedData(local, remote) : X3dh.AssociatedData(remote, local);
    }

    public IdentityPublicKey LocalIdentity { get; }
    public IdentityPublicKey RemoteIdentity { get; }
    public bool IsInitiator { get; }

    /// <summary>Skipped message keys held for late messages (at most <see cref="DoubleRatchet.MaxStoredSkippedKeys"/>).</summary>
    public int StoredSkippedKeys => _ratchet.StoredSkippedKeys;

    /// <summary>Starts a session from a contact's bundle; verifies the signed prekey signature first.</summary>
    public static PairwiseSession Initiate(IdentityKeyPair local, PrekeyBundle remote, IKeySource? keys = null)
    {
        keys ??= SystemKeySource.Instance;
        using var ephemeral = AgreementKeyPair.Generate(keys, exportable: false);
        var secret = X3dh.InitiatorSecret(local, ephemeral, remote);
        var pending = new PendingPrekey(ephemeral.PublicKey.ToArray(), remote.SignedPrekey.Id, remote.OneTimePrekey?.Id);
        var ratchet = DoubleRatchet.CreateInitiator(secret, remote.SignedPrekey.PublicKey.Span, keys);
        return new PairwiseSession(local.Public, remote.Identity, isInitiator: true, pending, ratchet);
    }

    /// <summary>
    /// Accepts a prekey envelope addressed to <paramref name="local"/>, with the prekeys it names.
    /// Returns the session and the first plaintext; throws (and creates nothing) if the message does not authenticate.
    /// </summary>
    public static PairwiseSession Accept(IdentityKeyPair local, MessageEnvelope envelope, PrekeyPair signedPrekey, PrekeyPair? oneTimePrekey, out byte[] plaintext, IKeySource? keys = null)
    {
        var info = envelope.Prekey ?? throw new CryptoProtocolException(CryptoFailure.InvalidState, "not a prekey message");
        if (info.SignedPrekeyId != signedPrekey.Id || info.OneTimePrekeyId != oneTimePrekey?.Id)
            throw new CryptoProtocolException(CryptoFailure.UnknownKey, "prekeys given do not match those the message names");
        var secret = X3dh.ResponderSecret(local, info.InitiatorIdentity, info.BaseKey.Span, signedPrekey, oneTimePrekey);
        var ratchet = DoubleRatchet.CreateResponder(secret, signedPrekey.Key, keys ?? SystemKeySource.Instance);
        var pending = new PendingPrekey(info.BaseKey.ToArray(), info.SignedPrekeyId, info.OneTimePrekeyId);
        var session = new PairwiseSession(local.Public, info.InitiatorIdentity, isInitiator: false, pending, ratchet);
        try
        {
            plaintext = session.DecryptRatchet(envelope);
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>True if a prekey envelope belongs to this already accepted session (same initiator and base key).</summary>
    public bool Matches(MessageEnvelope envelope) =>
        envelope.Prekey is { } info && !IsInitiator && _pending is { } pending
        && info.InitiatorIdentity.Equals(RemoteIdentity)
        && CryptographicOperations.FixedTimeEquals(info.BaseKey.Span, pending.BaseKey);

    /// <summary>
    /// True when the next <see cref="Encrypt"/> goes past the sending lease: call <see cref="ExtendSendLease"/> first
    /// and make the state saved after it durable before the message leaves (DoubleRatchet, "Sending lease").
    /// </summary>
    public bool SendExtendsLease => _ratchet.SendExtendsLease;

    /// <summary>Message numbers one lease covers.</summary>
    public const uint SendLeaseLength = DoubleRatchet.SendLeaseLength;

    public void ExtendSendLease() => _ratchet.ExtendSendLease();

    public byte[] Encrypt(ReadOnlySpan<byte> plaintext)
    {
        var prefix = MessageEnvelope.EncodePrefix(IsInitiator && _pending is { } p
            ? new PrekeyInfo(LocalIdentity, p.BaseKey, p.SignedPrekeyId, p.OneTimePrekeyId)
            : null);
        var (header, ciphertext) = _ratchet.Encrypt(plaintext, [.. _associatedData, .. prefix]);
        return [.. prefix, .. header, .. ciphertext];
    }

    public byte[] Decrypt(ReadOnlySpan<byte> envelopeBytes) => Decrypt(MessageEnvelope.Decode(envelopeBytes));

    public byte[] Decrypt(MessageEnvelope envelope)
    {
        if (envelope.Kind == EnvelopeKind.Prekey && !Matches(envelope))
            throw new CryptoProtocolException(CryptoFailure.UnknownKey, "prekey message for a different session");
        var plaintext = DecryptRatchet(envelope);
        if (IsInitiator) _pending = null;
        return plaintext;
    }

    private byte[] DecryptRatchet(MessageEnvelope envelope) =>
        _ratchet.Decrypt(envelope.Header, envelope.HeaderBytes, envelope.Ciphertext, [.. _associatedData, .. envelope.PrefixBeforeHeader]);

    /// <summary>Whether <see cref="Serialize"/> writes a sending lease bound past the live counter.</summary>
    public bool HoldsSendLease => _ratchet.HoldsSendLease;

    /// <param name="atLiveCounter">For the last, durable save before a clean close only (DoubleRatchet.Serialize).</param>
    public byte[] Serialize(bool atLiveCounter = false)
    {
        var writer = new ByteWriter(1024).Byte(CryptoSuite.Current).Bytes(LocalIdentity.Encoded).Bytes(RemoteIdentity.Encoded)
            .Flag(IsInitiator).Flag(_pending is not null);
        if (_pending is { } pending)
        {
            writer.Bytes(pending.BaseKey).UInt32(pending.SignedPrekeyId).Flag(pending.OneTimePrekeyId.HasValue);
            if (pending.OneTimePrekeyId is { } oneTimeId) writer.UInt32(oneTimeId);
        }
        writer.Bytes(_ratchet.Serialize(atLiveCounter));
        return writer.ToArray();
    }

    public static PairwiseSession Deserialize(ReadOnlySpan<byte> state, IKeySource? keys = null)
    {
        var reader = CryptoBytes.Reader(state);
        reader.ExpectSuite("session state");
        var local = IdentityPublicKey.Decode(reader.ReadBytes(IdentityPublicKey.EncodedLength));
        var remote = IdentityPublicKey.Decode(reader.ReadBytes(IdentityPublicKey.EncodedLength));
        var isInitiator = reader.ReadFlag();
        PendingPrekey? pending = null;
        if (reader.ReadFlag())
        {
            var baseKey = reader.ReadArray(AgreementKeyPair.PublicKeyLength);
            var signedId = reader.ReadUInt32();
            uint? oneTimeId = reader.ReadFlag() ? reader.ReadUInt32() : null;
            pending = new PendingPrekey(baseKey, signedId, oneTimeId);
        }
        var ratchet = DoubleRatchet.Read(ref reader, keys ?? SystemKeySource.Instance);
        reader.ExpectEnd("session state");
        return new PairwiseSession(local, remote, isInitiator, pending, ratchet);
    }

    public void Dispose() => _ratchet.Dispose();

    private sealed record PendingPrekey(byte[] BaseKey, uint SignedPrekeyId, uint? OneTimePrekeyId);
}

// Pairwise sessions: encrypting a PM payload for one contact (X3DH from a bundle, then the ratchet) and decrypting theirs.
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Crypto.Prekeys;
using P2PChat.Core.Crypto.Ratchet;
using P2PChat.Core.Payloads;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Peer.Events;

namespace P2PChat.Peer.E2e;

/// <summary>The outcome of trying to encrypt a PM: an envelope, held (key changed), or a bundle is needed first.</summary>
public abstract record SendPlan
{
    public sealed record Envelope(byte[] Bytes) : SendPlan;
    public sealed record Held(int Count) : SendPlan;
    public sealed record NeedsBundle : SendPlan;
}

/// <summary>
/// One <see cref="PairwiseSession"/> per contact, saved after every encrypt and decrypt (see EncryptLocked and DecryptLocked for when it is flushed to disk). A contact whose key changed
/// gets nothing (<see cref="ContactTrust"/> holds it); a first message under a changed key is read but does not replace
/// a working session. Control payloads (a member's sender key) are applied to <see cref="GroupKeys"/> here.
/// </summary>
public sealed class PairwiseMessages(E2eState state, ContactTrust trust)
{
    /// <summary>
    /// Encrypts a <see cref="PmPayload"/> with the session held for <paramref name="user"/>; NeedsBundle when there is
    /// none (or it is for an old key); Held when the contact's key changed.
    /// </summary>
    public SendPlan Encrypt(string user, byte[] payload)
    {
        lock (state.Gate)
        {
            var keys = state.RequireOpen();
            if (keys.Contacts.IsHeld(user)) return trust.HoldLocked(user, payload);
            var session = keys.Session(user);
            if (session is null || !session.RemoteIdentity.Equals(keys.Contacts.CurrentKey(user))) return new SendPlan.NeedsBundle();
            return new SendPlan.Envelope(EncryptLocked(keys, user, session, payload));
        }
    }

    /// <summary>Starts a session from a fetched bundle (X3DH; the signed prekey signature is checked) and encrypts.</summary>
    public SendPlan EncryptWithBundle(string user, Bundle bundle, byte[] payload)
    {
        PrekeyBundle parsed;
        try
        {
            parsed = new PrekeyBundle(IdentityPublicKey.Decode(bundle.IdentityKey), SignedPrekeyPublic.Decode(bundle.SignedPrekey),
                bundle.OneTimePrekey.Length == 0 ? null : OneTimePrekeyPublic.Decode(bundle.OneTimePrekey));
            parsed.Verify();
        }
        catch (CryptoProtocolException e)
        {
            throw new CommandFailedException(PeerErrorCode.E2eUnavailable, $"{user}'s published keys are invalid ({e.Reason}); nothing was sent");
        }
        lock (state.Gate)
        {
            var keys = state.RequireOpen();
            if (trust.ObserveLocked(user, parsed.Identity) == KeyObservation.Changed || keys.Contacts.IsHeld(user)) return trust.HoldLocked(user, payload);
            var session = PairwiseSession.Initiate(keys.Identity, parsed);
            keys.SetSession(user, session);
            return new SendPlan.Envelope(EncryptLocked(keys, user, session, payload));
        }
    }

    /// <summary>A decrypted PM, or null when it was dropped (a decrypt_failed event says why).</summary>
    public DecryptedMessage? Decrypt(string from, ReadOnlySpan<byte> data, ulong messageId, bool offline)
    {
        lock (state.Gate)
        {
            try
            {
                var keys = state.OpenForReading();
                var envelope = MessageEnvelope.Decode(data);
                var session = keys.Session(from);
                var payload = envelope.Kind == EnvelopeKind.Prekey && (session is null || !session.Matches(envelope))
                    ? AcceptLocked(keys, from, envelope, session)
                    : DecryptLocked(keys, from, envelope, session);
                var text = PmPayload.DecodeText(payload);
                if (text is null) ApplyControlLocked(keys, from, payload);
                return new DecryptedMessage(text, E2eState.StatusName(keys.Contacts.StatusOf(from)));
            }
            catch (Exception e) when (e is CryptoProtocolException or System.Text.DecoderFallbackException)
            {
                return state.Failed(from, e, messageId, offline);
            }
        }
    }

    /// <summary>A control payload from a pairwise session: a member's sender key for a channel (kind 0x02), or another feature's (rooms).</summary>
    private void ApplyControlLocked(AccountKeys keys, string from, ReadOnlySpan<byte> payload)
    {
        if (payload.Length > 0 && payload[0] is >= 0x30 and <= 0x4F && state.ForeignControl is { } handOver)
        {
            handOver(from, payload.ToArray());
            return;
        }
        if (PmPayload.DecodeSenderKey(payload) is not var (channel, distribution))
            throw new CryptoProtocolException(CryptoFailure.Malformed, "unknown payload kind");
        keys.Group(channel).SetReceiver(from, distribution);
        keys.SaveGroup(channel);
    }

    /// <summary>
    /// Within the sending lease a send changes nothing the saved state holds (it claims the lease bound; DoubleRatchet,
    /// "Sending lease"), so nothing is written: the copy on disk already resumes past every number this send may use.
    /// A send that extends the lease saves the state and flushes it to disk before the envelope is returned (and so
    /// before it is sent): once per <see cref="PairwiseSession.SendLeaseLength"/> sends in one chain, never in a
    /// back-and-forth conversation.
    /// </summary>
    private static byte[] EncryptLocked(AccountKeys keys, string user, PairwiseSession session, byte[] payload)
    {
        bool extends = session.SendExtendsLease;
        if (extends) session.ExtendSendLease();
        var envelope = session.Encrypt(payload);
        if (extends) keys.SaveSession(user, KeyFileWrite.Durable);
        return envelope;
    }

    private byte[] AcceptLocked(AccountKeys keys, string from, MessageEnvelope envelope, PairwiseSession? existing)
    {
        var info = envelope.Prekey!;
        if (keys.Prekeys.HasSeenBaseKey(info.BaseKey.Span))
            throw new CryptoProtocolException(CryptoFailure.Replayed, "this first message was already accepted");
        var signed = keys.Prekeys.FindSigned(info.SignedPrekeyId)
            ?? throw new CryptoProtocolException(CryptoFailure.UnknownKey, "the signed prekey it names is not ours (or too old)");
        PrekeyPair? oneTime = null;
        if (info.OneTimePrekeyId is { } id)
            oneTime = keys.Prekeys.FindOneTime(id) ?? throw new CryptoProtocolException(CryptoFailure.UnknownKey, "the one-time prekey it names is used or unknown");
        var session = PairwiseSession.Accept(keys.Identity, envelope, signed, oneTime, out var payload);
        // Only now, with the message authenticated under that identity, is the identity observed.
        var observation = trust.ObserveLocked(from, info.InitiatorIdentity);
        if (oneTime is not null) keys.Prekeys.DeleteOneTime(oneTime.Id);
        keys.Prekeys.RememberBaseKey(info.BaseKey.Span);
        keys.SavePrekeys();
        // A first message under a changed, not yet trusted key does not replace a working session.
        if (observation != KeyObservation.Changed || existing is null) keys.SetSession(from, session);
        else session.Dispose();
        return payload;
    }

    private static byte[] DecryptLocked(AccountKeys keys, string from, MessageEnvelope envelope, PairwiseSession? session)
    {
        if (session is null) throw new CryptoProtocolException(CryptoFailure.UnknownKey, "no session with the sender");
        var payload = session.Decrypt(envelope);
        // Written before the message is shown; flushed to disk just after, off this path. A power loss in between
        // leaves the older state, which can decrypt this message again: a redelivered copy is dropped by its id.
        keys.SaveSession(from, KeyFileWrite.SyncSoon);
        return payload;
    }
}

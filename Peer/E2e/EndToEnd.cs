// The peer's end-to-end policy for PMs: which keys are open, key changes and held messages, encrypting and decrypting.
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Crypto.Prekeys;
using P2PChat.Core.Crypto.Ratchet;
using P2PChat.Core.Payloads;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Core.Transport.Wire;
using P2PChat.Peer.Client;
using P2PChat.Peer.Events;

namespace P2PChat.Peer.E2e;

/// <summary>
/// Lifecycle: <see cref="PrepareRegistration"/> at /register (the identity is made here and only its public half leaves);
/// <see cref="OpenForSignIn"/> before IAM (so offline messages in the sign-in burst can be decrypted);
/// <see cref="AfterSignIn"/> once signed in (publish a new identity if the profile had none, upload prekeys).
/// Every identity learnt for a contact (ADD, bundle, prekey message) goes through the <see cref="ContactKeyBook"/>:
/// a change raises <see cref="KeyChangedEvent"/> and holds outgoing messages until <see cref="Trust"/> or <see cref="Verify"/>.
/// Every call is serialised by one lock (the crypto objects are not thread-safe) and state is persisted, sealed,
/// after every encrypt and decrypt, before the result leaves this class. Without a profile folder it is disabled
/// (plaintext PMs, the pre-E2E behaviour kept for tests of other layers).
/// </summary>
public sealed class EndToEnd(IEventSink events, TimeProvider time, string? profileFolder) : IDisposable
{
    /// <summary>One-time prekeys the peer keeps on the server (it refills to this many on PREKEYS_LOW).</summary>
    public const int OneTimePrekeyTarget = 50;

    private readonly object _gate = new();
    private AccountKeys? _keys;
    private AccountKeys? _registering;
    private string _me = "";
    private string? _openProblem;
    private string? _signInPassword;
    private uint? _lowRemaining;

    public bool Enabled => profileFolder is not null;
    public bool IsOpen { get { lock (_gate) return _keys is not null; } }

    /// <summary>Why keys could not be opened at the last sign-in, if they could not.</summary>
    public string? OpenProblem { get { lock (_gate) return _openProblem; } }

    public byte[]? MyIdentity { get { lock (_gate) return _keys?.Identity.Public.Encode(); } }

    /// <summary>Makes the identity for a new account; returns its 131-byte public key for REGISTER.</summary>
    public byte[]? PrepareRegistration(string username, string password)
    {
        if (profileFolder is null) return null;
        var keys = AccountKeys.Create(new KeyFiles(profileFolder, username), password, time.GetUtcNow());
        lock (_gate)
        {
            _registering?.Dispose();
            _registering = keys;
            return keys.Identity.Public.Encode();
        }
    }

    /// <summary>The server accepted the registration: write the new keys (sealed). Otherwise they are dropped.</summary>
    public void FinishRegistration(bool registered)
    {
        lock (_gate)
        {
            if (registered && _registering is { } keys)
            {
                // A new account (e.g. after the server lost its data): nothing sealed under an older vault may stay.
                keys.Files.DeleteAll();
                keys.SaveAll();
            }
            _registering?.Dispose();
            _registering = null;
        }
    }

    /// <summary>Opens the profile's keys for <paramref name="username"/>, if it has any. Failures are kept in <see cref="OpenProblem"/>.</summary>
    public void OpenForSignIn(string username, string password)
    {
        if (profileFolder is null) return;
        lock (_gate)
        {
            CloseLocked();
            _me = username;
            _openProblem = null;
            _lowRemaining = null;
            _signInPassword = password; // kept until AfterSignIn, in case keys must be made then
            var files = new KeyFiles(profileFolder, username);
            if (!files.Exists) return;
            try
            {
                _keys = AccountKeys.Open(files, password);
                // Messages held in an earlier session still wait: say so, as when they were held.
                foreach (var (contact, count) in _keys.Held.Counts) events.Publish(HeldEvent(contact, count, "still held from an earlier session"));
            }
            catch (CryptoProtocolException e)
            {
                _openProblem = e.Reason switch
                {
                    CryptoFailure.WrongPassword => "the profile's keys do not open with this password; end-to-end encryption is off for this session",
                    CryptoFailure.RetiredSuite => $"the profile's keys for {username} were made by an earlier P2PChat (P-256 keys, which this version no longer uses); "
                        + $"nothing was changed or deleted. To make new keys, move the folder {files.Folder} aside and sign in again: your contacts "
                        + "will be told your key changed and should compare safety numbers. End-to-end encryption is off for this session",
                    _ => $"the profile's keys are damaged ({e.Reason}); end-to-end encryption is off for this session",
                };
            }
        }
    }

    /// <summary>PREKEYS_LOW from the server; returns a PREKEYS frame to send now, or null (before sign-in it is kept for <see cref="AfterSignIn"/>).</summary>
    public Prekeys? PrekeysLow(uint remaining, bool signedIn)
    {
        lock (_gate)
        {
            if (!signedIn || _keys is null)
            {
                _lowRemaining = remaining;
                return null;
            }
            var batch = _keys.Prekeys.AddOneTime(Math.Max(0, OneTimePrekeyTarget - (int)remaining));
            _keys.SavePrekeys();
            return new Prekeys([], batch);
        }
    }

    /// <summary>
    /// Once signed in: makes keys if the profile had none (a new identity for the account), rotates the signed prekey when
    /// due, and returns what to send: IDENTITY when the server's key for us is not ours, then PREKEYS.
    /// </summary>
    public IReadOnlyList<Frame> AfterSignIn(byte[] serverIdentityOfMe)
    {
        if (profileFolder is null) return [];
        lock (_gate)
        {
            var password = _signInPassword;
            _signInPassword = null;
            if (_openProblem is not null || password is null) return [];
            var frames = new List<Frame>();
            if (_keys is null)
            {
                _keys = AccountKeys.Create(new KeyFiles(profileFolder, _me), password, time.GetUtcNow());
                _keys.SaveAll();
                _lowRemaining = 0;
            }
            var mine = _keys.Identity.Public.Encode();
            if (!mine.AsSpan().SequenceEqual(serverIdentityOfMe))
            {
                frames.Add(new IdentityChange(mine));
                _lowRemaining = 0;
            }
            _keys.Prekeys.RotateIfDue(_keys.Identity, time.GetUtcNow());
            var batch = _lowRemaining is { } low ? _keys.Prekeys.AddOneTime(Math.Max(0, OneTimePrekeyTarget - (int)low)) : [];
            _lowRemaining = null;
            _keys.SavePrekeys();
            frames.Add(new Prekeys(_keys.Prekeys.Signed.ToSignedPublic().Encode(), batch));
            return frames;
        }
    }

    /// <summary>An identity the server announced for <paramref name="user"/> (ADD). A change raises key_changed.</summary>
    public void ObserveAnnounced(string user, byte[] identityKey)
    {
        if (identityKey.Length == 0) return;
        IdentityPublicKey presented;
        try { presented = IdentityPublicKey.Decode(identityKey); }
        catch (CryptoProtocolException) { return; }
        lock (_gate)
        {
            if (_keys is null || user == _me) return;
            ObserveLocked(user, presented);
        }
    }

    /// <summary>The outcome of trying to encrypt a PM: an envelope, held (key changed), or a bundle is needed first.</summary>
    public abstract record SendPlan
    {
        public sealed record Envelope(byte[] Bytes) : SendPlan;
        public sealed record Held(int Count) : SendPlan;
        public sealed record NeedsBundle : SendPlan;
    }

    /// <summary>
    /// Encrypts a <see cref="PmPayload"/> with the session held for <paramref name="user"/>; NeedsBundle when there is
    /// none (or it is for an old key); Held when the contact's key changed.
    /// </summary>
    public SendPlan Encrypt(string user, byte[] payload)
    {
        lock (_gate)
        {
            var keys = RequireOpen();
            if (keys.Contacts.IsHeld(user)) return Hold(user, payload);
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
        lock (_gate)
        {
            var keys = RequireOpen();
            if (ObserveLocked(user, parsed.Identity) == KeyObservation.Changed || keys.Contacts.IsHeld(user)) return Hold(user, payload);
            var session = PairwiseSession.Initiate(keys.Identity, parsed);
            keys.SetSession(user, session);
            return new SendPlan.Envelope(EncryptLocked(keys, user, session, payload));
        }
    }

    /// <summary>A decrypted message; Text is null for a control message (a sender key), which is not shown.</summary>
    public sealed record Decrypted(string? Text, string KeyStatus);

    /// <summary>A decrypted PM, or null when it was dropped (a decrypt_failed event says why).</summary>

    public Decrypted? Decrypt(string from, ReadOnlySpan<byte> data, ulong messageId, bool offline)
    {
        lock (_gate)
        {
            try
            {
                if (_keys is not { } keys)
                    throw new CryptoProtocolException(CryptoFailure.InvalidState, _openProblem ?? "no end-to-end keys are open");
                var envelope = MessageEnvelope.Decode(data);
                var session = keys.Session(from);
                var payload = envelope.Kind == EnvelopeKind.Prekey && (session is null || !session.Matches(envelope))
                    ? AcceptLocked(keys, from, envelope, session)
                    : DecryptLocked(keys, from, envelope, session);
                var text = PmPayload.DecodeText(payload);
                if (text is null) ApplyControlLocked(keys, from, payload);
                return new Decrypted(text, StatusName(keys.Contacts.StatusOf(from)));
            }
            catch (Exception e) when (e is CryptoProtocolException or System.Text.DecoderFallbackException)
            {
                return Failed(from, e, messageId, offline);
            }
        }
    }

    /// <summary>A control payload from a pairwise session: a member's sender key for a channel (kind 0x02).</summary>
    private static void ApplyControlLocked(AccountKeys keys, string from, ReadOnlySpan<byte> payload)
    {
        if (PmPayload.DecodeSenderKey(payload) is not var (channel, distribution))
            throw new CryptoProtocolException(CryptoFailure.Malformed, "unknown payload kind");
        keys.Group(channel).SetReceiver(from, distribution);
        keys.SaveGroup(channel);
    }

    private Decrypted? Failed(string from, Exception e, ulong messageId, bool offline)
    {
        var reason = e is CryptoProtocolException c ? $"{c.Reason}: {c.Message}" : "not valid UTF-8";
        events.Publish(new DecryptFailedEvent(from, reason, messageId, offline));
        return null;
    }

    /// <summary>What sending to an invite-only channel needs first: our sender key, for the members who lack it.</summary>
    public sealed record GroupSendPlan(IReadOnlyList<string> NeedKey, byte[] DistributionPayload);

    public GroupSendPlan PrepareGroupSend(uint channel, IEnumerable<string> members)
    {
        lock (_gate)
        {
            var keys = RequireOpen();
            var group = keys.Group(channel);
            var own = group.EnsureOwn();
            keys.SaveGroup(channel);
            return new GroupSendPlan([.. members.Where(m => m != _me && !group.GivenTo.Contains(m))],
                PmPayload.EncodeSenderKey(channel, own.CreateDistribution()));
        }
    }

    /// <summary>Our sender key for <paramref name="channel"/> reached <paramref name="member"/> (inside our pairwise session).</summary>
    public void MarkGiven(uint channel, string member)
    {
        lock (_gate)
        {
            var keys = RequireOpen();
            keys.Group(channel).GivenTo.Add(member);
            keys.SaveGroup(channel);
        }
    }

    /// <summary>A sender-key message for the channel (docs/security.md 10.3); call <see cref="PrepareGroupSend"/> first.</summary>
    public byte[] EncryptGroup(uint channel, string text)
    {
        lock (_gate)
        {
            var keys = RequireOpen();
            var group = keys.Group(channel);
            var message = group.EnsureOwn().Encrypt(group.GroupId, PmPayload.EncodeText(text));
            keys.SaveGroup(channel);
            return message;
        }
    }

    public Decrypted? DecryptGroup(uint channel, string from, ReadOnlySpan<byte> data, ulong messageId, bool offline)
    {
        lock (_gate)
        {
            try
            {
                if (_keys is not { } keys)
                    throw new CryptoProtocolException(CryptoFailure.InvalidState, _openProblem ?? "no end-to-end keys are open");
                var group = keys.Group(channel);
                var receiver = group.ReceiverOf(from)
                    ?? throw new CryptoProtocolException(CryptoFailure.UnknownKey, "no sender key from this member for this channel");
                var plaintext = receiver.Decrypt(group.GroupId, data);
                keys.SaveGroup(channel);
                var text = PmPayload.DecodeText(plaintext) ?? throw new CryptoProtocolException(CryptoFailure.Malformed, "not a chat message");
                return new Decrypted(text, StatusName(keys.Contacts.StatusOf(from)));
            }
            catch (Exception e) when (e is CryptoProtocolException or System.Text.DecoderFallbackException)
            {
                return Failed(from, e, messageId, offline);
            }
        }
    }

    /// <summary>Someone left <paramref name="channel"/> or was removed: rekey (our next message uses a new sender key); if it was us, forget it.</summary>
    public void MemberLeft(uint channel, string member)
    {
        lock (_gate)
        {
            if (_keys is not { } keys) return;
            if (member == _me)
            {
                keys.ForgetGroup(channel);
                return;
            }
            try
            {
                keys.Group(channel).MemberLeft(member);
                keys.SaveGroup(channel);
            }
            catch (CryptoProtocolException)
            {
                keys.ForgetGroup(channel); // a damaged file: start the channel's keys afresh
            }
        }
    }

    /// <summary>Our identity key pair, which direct links prove in their handshake; null until the keys are open.</summary>
    public IdentityKeyPair? LinkIdentity { get { lock (_gate) return _keys?.Identity; } }

    /// <summary>
    /// The identity key of <paramref name="user"/> the trust book accepts (first seen, trusted or verified); null when
    /// none is known or a changed key waits for /trust — a direct link to that key must be refused.
    /// </summary>
    public IdentityPublicKey? AcceptedKey(string user)
    {
        lock (_gate)
        {
            if (_keys is not { } keys || keys.Contacts.StatusOf(user) is ContactKeyStatus.Unknown or ContactKeyStatus.Changed) return null;
            return keys.Contacts.CurrentKey(user);
        }
    }

    public string Fingerprint()
    {
        lock (_gate) return IdentityFingerprint.Group(IdentityFingerprint.Compute(_me, RequireOpen().Identity.Public));
    }

    /// <summary>/safety USER: the pair's safety number for the key in use (the pending one if a change is pending).</summary>
    public ContactKeyEvent Safety(string user, int released = 0)
    {
        lock (_gate)
        {
            var keys = RequireOpen();
            var key = keys.Contacts.PendingKey(user) ?? keys.Contacts.CurrentKey(user)
                ?? throw new CommandFailedException(PeerErrorCode.E2eUnavailable, $"no identity key is known for {user} yet");
            return new ContactKeyEvent(user, StatusName(keys.Contacts.StatusOf(user)),
                IdentityFingerprint.Group(IdentityFingerprint.Compute(user, key)),
                SafetyNumber.Compute(_me, keys.Identity.Public, user, key).ToString(), released);
        }
    }

    /// <summary>/verify USER NUMBER: marks the key verified if the number matches; throws SafetyNumberMismatch otherwise. Returns released held messages.</summary>
    public IReadOnlyList<byte[]> Verify(string user, string number)
    {
        lock (_gate)
        {
            var keys = RequireOpen();
            if (keys.Contacts.StatusOf(user) == ContactKeyStatus.Unknown)
                throw new CommandFailedException(PeerErrorCode.E2eUnavailable, $"no identity key is known for {user} yet");
            if (!keys.Contacts.Verify(_me, keys.Identity.Public, user, number))
                throw new CommandFailedException(PeerErrorCode.SafetyNumberMismatch,
                    $"that is not your safety number with {user}; the key is NOT verified (see /safety {user})");
            return AcceptedLocked(keys, user);
        }
    }

    /// <summary>/trust USER: accepts a changed key; returns the held messages, to be sent now.</summary>
    public IReadOnlyList<byte[]> Trust(string user)
    {
        lock (_gate)
        {
            var keys = RequireOpen();
            if (!keys.Contacts.Trust(user))
                throw new CommandFailedException(PeerErrorCode.BadArguments, $"no key change is pending for {user}");
            return AcceptedLocked(keys, user);
        }
    }

    private IReadOnlyList<byte[]> AcceptedLocked(AccountKeys keys, string user)
    {
        keys.SaveContacts();
        // A session made with the old key must not be used for the new one.
        if (keys.Session(user) is { } session && !session.RemoteIdentity.Equals(keys.Contacts.CurrentKey(user))) keys.SetSession(user, null);
        var released = keys.Held.Take(user);
        if (released.Count > 0) keys.SaveHeld();
        return released;
    }

    private static byte[] EncryptLocked(AccountKeys keys, string user, PairwiseSession session, byte[] payload)
    {
        var envelope = session.Encrypt(payload);
        keys.SaveSession(user);
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
        var observation = ObserveLocked(from, info.InitiatorIdentity);
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
        keys.SaveSession(from);
        return payload;
    }

    private KeyObservation ObserveLocked(string user, IdentityPublicKey presented)
    {
        var keys = _keys!;
        var before = keys.Contacts.StatusOf(user);
        var oldKey = keys.Contacts.CurrentKey(user);
        var pendingBefore = keys.Contacts.PendingKey(user);
        var observation = keys.Contacts.Observe(user, presented);
        if (observation == KeyObservation.Unchanged) return observation;
        keys.SaveContacts();
        if (observation == KeyObservation.Changed && !(before == ContactKeyStatus.Changed && presented.Equals(pendingBefore)))
        {
            var oldPrint = IdentityFingerprint.Group(IdentityFingerprint.Compute(user, oldKey!));
            var newPrint = IdentityFingerprint.Group(IdentityFingerprint.Compute(user, presented));
            events.Publish(new KeyChangedEvent(user, oldPrint, newPrint,
                $"WARNING: {user}'s identity key changed. Messages to {user} are held until you accept the new key with /trust {user} " +
                $"(compare safety numbers first: /safety {user}, then /verify {user} NUMBER)."));
        }
        return observation;
    }

    /// <summary>Holds a payload for a contact whose key changed; persisted (sealed) before the event says so.</summary>
    private SendPlan.Held Hold(string user, byte[] payload)
    {
        var keys = _keys!;
        var count = keys.Held.Add(user, payload);
        keys.SaveHeld();
        events.Publish(HeldEvent(user, count, "not sent"));
        return new SendPlan.Held(count);
    }

    private static MessageHeldEvent HeldEvent(string user, int count, string what) =>
        new(user, count, $"{what}: {user}'s identity key changed; {count} message(s) wait for /trust {user}");

    private AccountKeys RequireOpen() => _keys ?? throw new CommandFailedException(PeerErrorCode.E2eUnavailable,
        _openProblem ?? (profileFolder is null ? "end-to-end encryption is not set up (no profile folder)" : "sign in first: the keys open at sign-in"));

    private static string StatusName(ContactKeyStatus status) => status.ToString().ToLowerInvariant();

    private void CloseLocked()
    {
        _keys?.Dispose();
        _keys = null;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            CloseLocked();
            _registering?.Dispose();
        }
    }
}

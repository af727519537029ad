// Trust and held messages: every identity learnt for a contact, key changes, safety numbers, /verify and /trust.
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Peer.Events;

namespace P2PChat.Peer.E2e;

/// <summary>
/// Every identity learnt for a contact (ADD, bundle, prekey message) goes through the <see cref="ContactKeyBook"/>:
/// a change raises <see cref="KeyChangedEvent"/> and holds outgoing messages (<see cref="HoldLocked"/>) until
/// <see cref="Trust"/> or <see cref="Verify"/>, which return them to be sent, in order.
/// </summary>
public sealed class ContactTrust(E2eState state)
{
    /// <summary>An identity the server announced for <paramref name="user"/> (ADD). A change raises key_changed.</summary>
    public void ObserveAnnounced(string user, byte[] identityKey)
    {
        if (identityKey.Length == 0) return;
        IdentityPublicKey presented;
        try { presented = IdentityPublicKey.Decode(identityKey); }
        catch (CryptoProtocolException) { return; }
        lock (state.Gate)
        {
            if (state.Keys is null || user == state.Me) return;
            ObserveLocked(user, presented);
        }
    }

    /// <summary>
    /// The identity key of <paramref name="user"/> the trust book accepts (first seen, trusted or verified); null when
    /// none is known or a changed key waits for /trust — a direct link to that key must be refused.
    /// </summary>
    public IdentityPublicKey? AcceptedKey(string user)
    {
        lock (state.Gate)
        {
            if (state.Keys is not { } keys || keys.Contacts.StatusOf(user) is ContactKeyStatus.Unknown or ContactKeyStatus.Changed) return null;
            return keys.Contacts.CurrentKey(user);
        }
    }

    /// <summary>/safety USER: the pair's safety number for the key in use (the pending one if a change is pending).</summary>
    public ContactKeyEvent Safety(string user, int released = 0)
    {
        lock (state.Gate)
        {
            var keys = state.RequireOpen();
            var key = keys.Contacts.PendingKey(user) ?? keys.Contacts.CurrentKey(user)
                ?? throw new CommandFailedException(PeerErrorCode.E2eUnavailable, $"no identity key is known for {user} yet");
            return new ContactKeyEvent(user, E2eState.StatusName(keys.Contacts.StatusOf(user)),
                IdentityFingerprint.Group(IdentityFingerprint.Compute(user, key)),
                SafetyNumber.Compute(state.Me, keys.Identity.Public, user, key).ToString(), released);
        }
    }

    /// <summary>/verify USER NUMBER: marks the key verified if the number matches; throws SafetyNumberMismatch otherwise. Returns released held messages.</summary>
    public IReadOnlyList<byte[]> Verify(string user, string number)
    {
        lock (state.Gate)
        {
            var keys = state.RequireOpen();
            if (keys.Contacts.StatusOf(user) == ContactKeyStatus.Unknown)
                throw new CommandFailedException(PeerErrorCode.E2eUnavailable, $"no identity key is known for {user} yet");
            if (!keys.Contacts.Verify(state.Me, keys.Identity.Public, user, number))
                throw new CommandFailedException(PeerErrorCode.SafetyNumberMismatch,
                    $"that is not your safety number with {user}; the key is NOT verified (see /safety {user})");
            return AcceptedLocked(keys, user);
        }
    }

    /// <summary>/trust USER: accepts a changed key; returns the held messages, to be sent now.</summary>
    public IReadOnlyList<byte[]> Trust(string user)
    {
        lock (state.Gate)
        {
            var keys = state.RequireOpen();
            if (!keys.Contacts.Trust(user))
                throw new CommandFailedException(PeerErrorCode.BadArguments, $"no key change is pending for {user}");
            return AcceptedLocked(keys, user);
        }
    }

    private static IReadOnlyList<byte[]> AcceptedLocked(AccountKeys keys, string user)
    {
        keys.SaveContacts();
        // A session made with the old key must not be used for the new one.
        if (keys.Session(user) is { } session && !session.RemoteIdentity.Equals(keys.Contacts.CurrentKey(user))) keys.SetSession(user, null);
        var released = keys.Held.Take(user);
        if (released.Count > 0) keys.SaveHeld();
        return released;
    }

    /// <summary>Records an identity presented for <paramref name="user"/>; a change (the first time it is seen) raises key_changed.</summary>
    internal KeyObservation ObserveLocked(string user, IdentityPublicKey presented)
    {
        var keys = state.Keys!;
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
            state.Events.Publish(new KeyChangedEvent(user, oldPrint, newPrint,
                $"WARNING: {user}'s identity key changed. Messages to {user} are held until you accept the new key with /trust {user} " +
                $"(compare safety numbers first: /safety {user}, then /verify {user} NUMBER)."));
        }
        return observation;
    }

    /// <summary>Holds a payload for a contact whose key changed; persisted (sealed) before the event says so.</summary>
    internal SendPlan.Held HoldLocked(string user, byte[] payload)
    {
        var keys = state.Keys!;
        var count = keys.Held.Add(user, payload);
        keys.SaveHeld();
        state.Events.Publish(HeldEvent(user, count, "not sent"));
        return new SendPlan.Held(count);
    }

    internal static MessageHeldEvent HeldEvent(string user, int count, string what) =>
        new(user, count, $"{what}: {user}'s identity key changed; {count} message(s) wait for /trust {user}");
}

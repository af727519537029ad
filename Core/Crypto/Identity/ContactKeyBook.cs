// Which identity key each contact is trusted with (first use, verified, or changed and held): the policy behind key_changed.
using P2PChat.Core.Bytes;
using System.Text;
using P2PChat.Core.Crypto.Primitives;
using P2PChat.Core.Crypto.Ratchet;

namespace P2PChat.Core.Crypto.Identity;

/// <summary>
/// Trust on first use with loud changes. Feed every identity the peer learns for a user (server user info,
/// prekey bundle, prekey message, link handshake) to <see cref="Observe"/>; on <see cref="KeyObservation.Changed"/>
/// raise key_changed. <see cref="IsHeld"/> says whether outgoing messages must wait.
/// State machine per contact:
/// <code>
/// Unknown --observe--> Trusted --/verify--> Verified
/// Trusted|Verified --observe other key--> Changed (pending key kept) --/trust--> Trusted (pending becomes current)
///                                                                   --/verify pending--> Verified
/// </code>
/// Serialised layout (persist sealed by the vault):
/// <code>version 0x01 | count u16 | count × (user id length u16 | UTF-8 user id | status (1) | current identity (131)
/// | has pending (1) | [pending identity (131)])</code>
/// Not thread-safe.
/// </summary>
public sealed class ContactKeyBook
{
    private readonly Dictionary<string, Entry> _contacts = new(StringComparer.Ordinal);

    public ContactKeyStatus StatusOf(string userId) => _contacts.TryGetValue(userId, out var entry) ? entry.Status : ContactKeyStatus.Unknown;

    public bool IsHeld(string userId) => StatusOf(userId) == ContactKeyStatus.Changed;

    /// <summary>The key messages are encrypted to once trusted (the pending one is not used until accepted).</summary>
    public IdentityPublicKey? CurrentKey(string userId) => _contacts.GetValueOrDefault(userId)?.Current;

    public IdentityPublicKey? PendingKey(string userId) => _contacts.GetValueOrDefault(userId)?.Pending;

    public KeyObservation Observe(string userId, IdentityPublicKey presented)
    {
        if (!_contacts.TryGetValue(userId, out var entry))
        {
            _contacts[userId] = new Entry(ContactKeyStatus.Trusted, presented, null);
            return KeyObservation.FirstSeen;
        }
        if (entry.Current.Equals(presented)) return KeyObservation.Unchanged;
        if (entry.Pending is not null && entry.Pending.Equals(presented)) return KeyObservation.Changed;
        _contacts[userId] = entry with { Status = ContactKeyStatus.Changed, Pending = presented };
        return KeyObservation.Changed;
    }

    /// <summary>/trust USER: accept the pending key (not verified). Returns false if nothing was pending.</summary>
    public bool Trust(string userId)
    {
        if (!_contacts.TryGetValue(userId, out var entry) || entry.Pending is null) return false;
        _contacts[userId] = new Entry(ContactKeyStatus.Trusted, entry.Pending, null);
        return true;
    }

    /// <summary>
    /// /verify USER NUMBER: compares the typed number with the safety number of my key and the contact's key in use
    /// (the pending one if a change is pending). On a match the key is accepted and marked verified.
    /// </summary>
    public bool Verify(string localUserId, IdentityPublicKey localIdentity, string userId, string typedNumber)
    {
        if (!_contacts.TryGetValue(userId, out var entry)) return false;
        var key = entry.Pending ?? entry.Current;
        if (!SafetyNumber.Compute(localUserId, localIdentity, userId, key).Matches(typedNumber)) return false;
        _contacts[userId] = new Entry(ContactKeyStatus.Verified, key, null);
        return true;
    }

    public byte[] Serialize()
    {
        var writer = new ByteWriter(64 + _contacts.Count * 300).Byte(CryptoSuite.Current).UInt16(checked((ushort)_contacts.Count));
        foreach (var (userId, entry) in _contacts.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            var name = Encoding.UTF8.GetBytes(userId);
            writer.UInt16(checked((ushort)name.Length)).Bytes(name).Byte((byte)entry.Status).Bytes(entry.Current.Encoded).Flag(entry.Pending is not null);
            if (entry.Pending is not null) writer.Bytes(entry.Pending.Encoded);
        }
        return writer.ToArray();
    }

    public static ContactKeyBook Deserialize(ReadOnlySpan<byte> state)
    {
        var reader = CryptoBytes.Reader(state);
        reader.ExpectSuite("contact key book");
        var book = new ContactKeyBook();
        int count = reader.ReadUInt16();
        for (var i = 0; i < count; i++)
        {
            var userId = Encoding.UTF8.GetString(reader.ReadBytes(reader.ReadUInt16()));
            var status = (ContactKeyStatus)reader.ReadByte();
            if (status is not (ContactKeyStatus.Trusted or ContactKeyStatus.Verified or ContactKeyStatus.Changed))
                throw new CryptoProtocolException(CryptoFailure.Malformed, "unknown contact key status");
            var current = IdentityPublicKey.Decode(reader.ReadBytes(IdentityPublicKey.EncodedLength));
            var pending = reader.ReadFlag() ? IdentityPublicKey.Decode(reader.ReadBytes(IdentityPublicKey.EncodedLength)) : null;
            book._contacts[userId] = new Entry(status, current, pending);
        }
        reader.ExpectEnd("contact key book");
        return book;
    }

    private sealed record Entry(ContactKeyStatus Status, IdentityPublicKey Current, IdentityPublicKey? Pending);
}

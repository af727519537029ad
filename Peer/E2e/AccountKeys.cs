// One account's unlocked end-to-end secrets: the vault, the identity, the prekeys, the contact key book, the sessions and held PMs.
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Crypto.Ratchet;
using P2PChat.Core.Crypto.Vault;

namespace P2PChat.Peer.E2e;

/// <summary>
/// Opened with the account's password (<see cref="Open"/>) or made at registration / first sign-in (<see cref="Create"/>).
/// Everything is written sealed by the <see cref="ProfileKeyVault"/> (PBKDF2, see docs/security.md 11) through
/// <see cref="KeyFiles"/>; <c>Save*</c> must be called after every change, before the result is shown or sent.
/// Not thread-safe: <see cref="EndToEnd"/> serialises every call.
/// </summary>
public sealed class AccountKeys : IDisposable
{
    private readonly KeyFiles _files;
    private readonly ProfileKeyVault _vault;
    private readonly Dictionary<string, PairwiseSession?> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<uint, GroupKeys> _groups = [];

    private AccountKeys(KeyFiles files, ProfileKeyVault vault, IdentityKeyPair identity, PrekeyRing prekeys, ContactKeyBook contacts,
        HeldMessages? held = null)
    {
        _files = files;
        _vault = vault;
        Identity = identity;
        Prekeys = prekeys;
        Contacts = contacts;
        Held = held ?? new HeldMessages();
    }

    public KeyFiles Files => _files;
    public IdentityKeyPair Identity { get; }
    public PrekeyRing Prekeys { get; }
    public ContactKeyBook Contacts { get; }
    /// <summary>PMs held for contacts whose key changed, until /trust or /verify (kept across sessions).</summary>
    public HeldMessages Held { get; }

    /// <summary>A new identity and signed prekey, sealed under a new vault for <paramref name="password"/>. Not written until <see cref="SaveAll"/>.</summary>
    public static AccountKeys Create(KeyFiles files, string password, DateTimeOffset now)
    {
        var identity = IdentityKeyPair.Generate();
        return new AccountKeys(files, ProfileKeyVault.Create(password), identity, PrekeyRing.Create(identity, now), new ContactKeyBook());
    }

    /// <summary>Opens the sealed files. Throws <see cref="CryptoProtocolException"/> (WrongPassword, AuthenticationFailed, Malformed).</summary>
    public static AccountKeys Open(KeyFiles files, string password)
    {
        var sealedIdentity = files.Read(KeyFiles.IdentityFile) ?? throw new FileNotFoundException("no identity in the profile", KeyFiles.IdentityFile);
        var vault = ProfileKeyVault.Unlock(password, sealedIdentity);
        try
        {
            var identity = IdentityKeyPair.ImportPrivate(vault.Open(sealedIdentity));
            var prekeys = files.Read(KeyFiles.PrekeysFile) is { } p ? PrekeyRing.Deserialize(vault.Open(p)) : PrekeyRing.Create(identity, DateTimeOffset.UnixEpoch);
            var contacts = files.Read(KeyFiles.ContactsFile) is { } c ? ContactKeyBook.Deserialize(vault.Open(c)) : new ContactKeyBook();
            var held = files.Read(KeyFiles.HeldFile) is { } h ? HeldMessages.Deserialize(vault.Open(h)) : null;
            return new AccountKeys(files, vault, identity, prekeys, contacts, held);
        }
        catch
        {
            vault.Dispose();
            throw;
        }
    }

    /// <summary>The session with <paramref name="contact"/>, loaded from its file on first use; null when there is none.</summary>
    public PairwiseSession? Session(string contact)
    {
        if (_sessions.TryGetValue(contact, out var session)) return session;
        session = _files.ReadRecord(KeyFiles.SessionFile(contact), Open) is { } state ? PairwiseSession.Deserialize(state) : null;
        _sessions[contact] = session;
        return session;
    }

    /// <summary>Replaces (or with null, deletes) the session with <paramref name="contact"/> and persists that.</summary>
    public void SetSession(string contact, PairwiseSession? session)
    {
        if (_sessions.TryGetValue(contact, out var old) && !ReferenceEquals(old, session)) old?.Dispose();
        _sessions[contact] = session;
        if (session is null) _files.Delete(KeyFiles.SessionFile(contact));
        else SaveSession(contact);
    }

    public void SaveSession(string contact, KeyFileWrite mode = KeyFileWrite.Durable)
    {
        if (_sessions.GetValueOrDefault(contact) is { } session) _files.WriteRecord(KeyFiles.SessionFile(contact), session.Serialize(), Seal, mode);
    }

    private byte[] Seal(byte[] plain) => _vault.Seal(plain);

    private byte[] Open(byte[] sealedRecord) => _vault.Open(sealedRecord);

    /// <summary>The sender keys of an invite-only channel, loaded from its file on first use (empty when there is none).</summary>
    public GroupKeys Group(uint channelTag)
    {
        if (_groups.TryGetValue(channelTag, out var group)) return group;
        group = _files.Read(KeyFiles.GroupFile(channelTag)) is { } blob ? GroupKeys.Deserialize(_vault.Open(blob)) : new GroupKeys(channelTag);
        _groups[channelTag] = group;
        return group;
    }

    public void SaveGroup(uint channelTag)
    {
        if (_groups.GetValueOrDefault(channelTag) is { } group) _files.Write(KeyFiles.GroupFile(channelTag), _vault.Seal(group.Serialize()));
    }

    /// <summary>We left the channel: its keys are forgotten.</summary>
    public void ForgetGroup(uint channelTag)
    {
        if (_groups.Remove(channelTag, out var group)) group.Dispose();
        _files.Delete(KeyFiles.GroupFile(channelTag));
    }

    /// <summary>Writes <paramref name="plain"/> sealed by the vault as <paramref name="name"/> (atomically: temp file, flush, rename). Rooms keep their saved state this way.</summary>
    public void WriteSealed(string name, ReadOnlySpan<byte> plain) => _files.Write(name, _vault.Seal(plain));

    /// <summary>The plaintext of sealed file <paramref name="name"/>, null when absent. Throws <see cref="CryptoProtocolException"/> when damaged.</summary>
    public byte[]? ReadSealed(string name) => _files.Read(name) is { } blob ? _vault.Open(blob) : null;

    public void SavePrekeys() => _files.Write(KeyFiles.PrekeysFile, _vault.Seal(Prekeys.Serialize()));

    public void SaveContacts() => _files.Write(KeyFiles.ContactsFile, _vault.Seal(Contacts.Serialize()));

    /// <summary>Writes the held PMs sealed, or deletes the file when none are held.</summary>
    public void SaveHeld()
    {
        if (Held.IsEmpty) _files.Delete(KeyFiles.HeldFile);
        else _files.Write(KeyFiles.HeldFile, _vault.Seal(Held.Serialize()));
    }

    /// <summary>
    /// A clean close: sessions saved under a sending lease are saved once more at their live counter, flushed, so a
    /// clean restart resumes exactly where sending stopped (only a crash skips to the lease bound). Best effort: a
    /// folder that is gone leaves the leased copy, which is safe.
    /// </summary>
    private void SaveLeasedSessionsAtLiveCounter()
    {
        foreach (var (contact, session) in _sessions)
        {
            if (session is not { HoldsSendLease: true }) continue;
            try { _files.WriteRecord(KeyFiles.SessionFile(contact), session.Serialize(atLiveCounter: true), Seal); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException) { }
        }
    }

    public void SaveAll()
    {
        _files.Write(KeyFiles.IdentityFile, _vault.Seal(Identity.ExportPrivate()));
        SavePrekeys();
        SaveContacts();
        foreach (var contact in _sessions.Keys) SaveSession(contact);
    }

    public void Dispose()
    {
        SaveLeasedSessionsAtLiveCounter();
        foreach (var session in _sessions.Values) session?.Dispose();
        foreach (var group in _groups.Values) group.Dispose();
        Prekeys.Dispose();
        Identity.Dispose();
        _vault.Dispose();
    }
}

// The sealed key files of one account in the profile folder (keys/<username>/*.bin); each write is atomic.
namespace P2PChat.Peer.E2e;

/// <summary>
/// Files (every one a blob sealed by the profile's <c>ProfileKeyVault</c>, so nothing in them is readable without
/// the password): <c>identity.bin</c> (identity private key), <c>prekeys.bin</c> (<see cref="PrekeyRing"/>),
/// <c>contacts.bin</c> (<c>ContactKeyBook</c>), <c>session-USER.bin</c> (one <c>PairwiseSession</c> per contact, a
/// <see cref="SlotFile"/>: saved after every message, so in place rather than by rename),
/// <c>group-TAG.bin</c> (<see cref="GroupKeys"/> of one invite-only channel, TAG in hex), <c>held.bin</c>
/// (<see cref="HeldMessages"/>: PMs waiting for /trust; absent when none wait).
/// Usernames are 3-32 characters of A-Z a-z 0-9 _ . - (server rule); anything else is refused as a file name part.
/// </summary>
public sealed class KeyFiles
{
    public const string IdentityFile = "identity.bin";
    public const string PrekeysFile = "prekeys.bin";
    public const string ContactsFile = "contacts.bin";
    public const string HeldFile = "held.bin";

    public KeyFiles(string profileFolder, string username)
    {
        if (!IsSafeName(username)) throw new ArgumentException($"'{username}' cannot name a key folder", nameof(username));
        Folder = Path.Combine(profileFolder, "keys", username);
    }

    public string Folder { get; }

    public bool Exists => File.Exists(Path.Combine(Folder, IdentityFile));

    public static string SessionFile(string contact) => IsSafeName(contact)
        ? $"session-{contact}.bin"
        : throw new ArgumentException($"'{contact}' cannot name a session file", nameof(contact));

    public static string GroupFile(uint channelTag) => $"group-{channelTag:x8}.bin";

    public byte[]? Read(string name)
    {
        var path = Path.Combine(Folder, name);
        return File.Exists(path) ? File.ReadAllBytes(path) : null;
    }

    /// <summary>
    /// Writes a temporary file and renames it over the old one, so a killed process leaves the old or the new
    /// content, never a mix. <see cref="KeyFileWrite.Durable"/> also flushes the file to disk before the rename and the
    /// folder after it, so the new content survives a power loss once this returns;
    /// <see cref="KeyFileWrite.SyncSoon"/> does that flush right after on <see cref="DiskSyncThread"/>, off the caller's path.
    /// </summary>
    public void Write(string name, ReadOnlySpan<byte> sealedBlob, KeyFileWrite mode = KeyFileWrite.Durable)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, name);
        var temp = path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(sealedBlob);
            if (mode == KeyFileWrite.Durable) file.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
        if (mode == KeyFileWrite.Durable) DurableFiles.SyncFolder(Folder);
        else if (mode == KeyFileWrite.SyncSoon) ScheduleSync(path);
    }

    /// <summary>Syncs waiting per file: a write while one waits is covered by it (it syncs whatever the file holds then).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _syncsWaiting = new();

    private void ScheduleSync(string path)
    {
        if (!_syncsWaiting.TryAdd(path, true)) return;
        DiskSyncThread.Queue(() =>
        {
            _syncsWaiting.TryRemove(path, out bool _);
            DurableFiles.SyncFile(path);
            DurableFiles.SyncFolder(Folder);
        });
    }

    /// <summary>The newest record of slot file <paramref name="name"/> (<see cref="SlotFile.Read"/>), null when absent.</summary>
    public byte[]? ReadRecord(string name, Func<byte[], byte[]> open) => SlotFileOf(name).Read(open);

    /// <summary>Saves a record in slot file <paramref name="name"/> (<see cref="SlotFile.Write"/>): one write in place.</summary>
    public void WriteRecord(string name, ReadOnlySpan<byte> content, Func<byte[], byte[]> seal, KeyFileWrite mode = KeyFileWrite.Durable) =>
        SlotFileOf(name).Write(content, seal, mode);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SlotFile> _slotFiles = new(StringComparer.Ordinal);

    private SlotFile SlotFileOf(string name) => _slotFiles.GetOrAdd(name, n => new SlotFile(Path.Combine(Folder, n)));

    public void Delete(string name)
    {
        if (_slotFiles.TryGetValue(name, out var slots)) slots.Reset();
        File.Delete(Path.Combine(Folder, name));
    }

    /// <summary>Removes every key file of the account (before a new identity is written).</summary>
    public void DeleteAll()
    {
        foreach (var slots in _slotFiles.Values) slots.Reset();
        if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
    }

    private static bool IsSafeName(string name) =>
        name.Length is >= 1 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-') && name.Trim('.').Length > 0;
}

/// <summary>How <see cref="KeyFiles.Write"/> makes a file last.</summary>
public enum KeyFileWrite
{
    /// <summary>On disk (file and folder flushed) before Write returns: survives a power loss.</summary>
    Durable,
    /// <summary>Atomic only: survives a killed process, not necessarily a power loss.</summary>
    Atomic,
    /// <summary>Atomic now, flushed to disk on a pool thread right after.</summary>
    SyncSoon,
}

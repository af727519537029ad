// Where a member's rooms are saved: one record per room (room-ID.bin), sealed with the account's keys, replaced atomically.
using P2PChat.Core.Crypto;
using P2PChat.Core.Rooms;
using P2PChat.Peer.E2e;

namespace P2PChat.Peer.Rooms;

/// <summary>The files a <see cref="RoomStore"/> keeps its records in (sealed in the peer; a plain folder in tests).</summary>
public interface IRoomFiles
{
    /// <summary>The names of the saved files (only <c>room-*.bin</c> are rooms).</summary>
    IReadOnlyList<string> Names();

    /// <summary>A file's plaintext, null when absent; throws (<see cref="IOException"/>, <see cref="CryptoProtocolException"/>) when it cannot be read.</summary>
    byte[]? Read(string name);

    /// <summary>Replaces a file atomically: a crash leaves the old content or the new, never a mix.</summary>
    void Write(string name, byte[] plain);

    void Delete(string name);

    /// <summary>Keeps a damaged file as NAME.damaged, out of the way.</summary>
    void SetAside(string name);
}

/// <summary>
/// A room is saved when its state changes, when we post, and (when anything else changed: deliveries, keys) at the
/// room's next tick; it is deleted when we leave. A record that cannot be read (damaged file, wrong vault) is set
/// aside and reported, and the other rooms load as usual (docs/rooms.md §10).
/// </summary>
public sealed class RoomStore(IRoomFiles files)
{
    public static string FileName(RoomId id) => $"room-{id}.bin";

    public IReadOnlyList<RoomRecord> LoadAll(Action<string> damaged)
    {
        var records = new List<RoomRecord>();
        IReadOnlyList<string> names;
        try { names = files.Names(); }
        catch (IOException e) { damaged($"the saved rooms cannot be listed: {e.Message}"); return []; }
        foreach (var name in names.Where(n => n.StartsWith("room-", StringComparison.Ordinal) && n.EndsWith(".bin", StringComparison.Ordinal)))
        {
            try
            {
                if (files.Read(name) is { } plain) records.Add(RoomRecordCodec.Decode(plain));
            }
            catch (Exception e) when (e is IOException or CryptoProtocolException or RoomProtocolException)
            {
                damaged($"{name}: {e.Message}; it was set aside");
                try { files.SetAside(name); } catch (IOException) { }
            }
        }
        return records;
    }

    /// <exception cref="IOException">the disk refused the write (the previous record stays as it was).</exception>
    public void Save(RoomRecord record) => files.Write(FileName(record.Id), RoomRecordCodec.Encode(record));

    public void Delete(RoomId id)
    {
        try { files.Delete(FileName(id)); } catch (IOException) { }
    }
}

/// <summary>The peer's room files: sealed by the open account's key vault in its key folder (keys/USER/room-ID.bin).</summary>
public sealed class SealedRoomFiles(AccountKeyring keyring) : IRoomFiles
{
    private AccountKeys Keys(Func<AccountKeys, object?> use)
    {
        AccountKeys? seen = null;
        keyring.WithOpenKeys<object>(k => { seen = k; return use(k) ?? k; });
        return seen ?? throw new IOException("the account's keys are not open");
    }

    public IReadOnlyList<string> Names()
    {
        IReadOnlyList<string> names = [];
        Keys(k =>
        {
            names = Directory.Exists(k.Files.Folder) ? [.. Directory.EnumerateFiles(k.Files.Folder, "room-*.bin").Select(p => Path.GetFileName(p)!)] : [];
            return null;
        });
        return names;
    }

    public byte[]? Read(string name)
    {
        byte[]? plain = null;
        Keys(k => plain = k.ReadSealed(name));
        return plain;
    }

    public void Write(string name, byte[] plain) => Keys(k => { k.WriteSealed(name, plain); return null; });

    public void Delete(string name) => Keys(k => { k.Files.Delete(name); return null; });

    public void SetAside(string name) => Keys(k =>
    {
        var path = Path.Combine(k.Files.Folder, name);
        File.Move(path, path + ".damaged", overwrite: true);
        return null;
    });
}

// Test support: room records as plain files in a folder (the peer seals them with the account's vault), replaced atomically.
using P2PChat.Peer.Rooms;

namespace P2PChat.Peer.Tests.Rooms;

internal sealed class FolderRoomFiles(string folder) : IRoomFiles
{
    public string Folder => folder;

    public IReadOnlyList<string> Names() =>
        Directory.Exists(folder) ? [.. Directory.EnumerateFiles(folder).Select(p => Path.GetFileName(p))] : [];

    public byte[]? Read(string name) => File.Exists(Path.Combine(folder, name)) ? File.ReadAllBytes(Path.Combine(folder, name)) : null;

    public void Write(string name, byte[] plain)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path + ".tmp", plain);
        File.Move(path + ".tmp", path, overwrite: true);
        Written?.Invoke(plain);
    }

    /// <summary>A record was written (its plaintext): tests wait on saves through this, not on time.</summary>
    public event Action<byte[]>? Written;

    public void Delete(string name) => File.Delete(Path.Combine(folder, name));

    public void SetAside(string name) => File.Move(Path.Combine(folder, name), Path.Combine(folder, name + ".damaged"), overwrite: true);
}

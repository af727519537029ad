// Test helper: a fresh temp data folder, deleted (with the SQLite files in it) when disposed.
namespace P2PChat.Rendezvous.Tests.Storage;

internal sealed class TempDataFolder : IDisposable
{
    public TempDataFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "p2pchat-store-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string DatabaseFile => System.IO.Path.Combine(Path, P2PChat.Rendezvous.Storage.SqliteStoreOptions.DatabaseFileName);

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}

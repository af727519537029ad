// Loads the bundled native SQLite library exactly once per process.
namespace P2PChat.Rendezvous.Storage;

internal static class SqliteNative
{
    static SqliteNative() => SQLitePCL.Batteries_V2.Init();

    /// <summary>Runs the static constructor (once) before any connection is opened.</summary>
    public static void EnsureLoaded()
    {
    }
}

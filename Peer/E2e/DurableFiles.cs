// fsync for what FileStream cannot flush: a folder (so a rename in it survives a power loss), a file by path, a file's data.
using System.Runtime.InteropServices;

namespace P2PChat.Peer.E2e;

/// <summary>Folder and path syncs are best effort: failures (a folder removed meanwhile, a platform without folder sync) are ignored.</summary>
internal static partial class DurableFiles
{
    private const int ReadOnly = 0, Directory = 0x10000;   // O_RDONLY, O_DIRECTORY (Linux)

    /// <summary>Flushes the folder's entries (the renames done in it) to disk; Linux only, elsewhere nothing.</summary>
    public static void SyncFolder(string folder)
    {
        if (!OperatingSystem.IsLinux()) return;
        int fd = Open(folder, ReadOnly | Directory);
        if (fd < 0) return;
        try { _ = FSync(fd); }
        finally { _ = Close(fd); }
    }

    /// <summary>Flushes a file's content to disk, opened by path (whatever file the path names now).</summary>
    public static void SyncFile(string path)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            file.Flush(flushToDisk: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>
    /// Flushes a file's data to disk (fdatasync on Linux: the data and what is needed to read it back, not its times;
    /// elsewhere a full flush). Throws IOException when the flush fails (unlike the folder sync, this one matters).
    /// </summary>
    public static void SyncData(Microsoft.Win32.SafeHandles.SafeFileHandle handle)
    {
        if (!OperatingSystem.IsLinux())
        {
            RandomAccess.FlushToDisk(handle);
            return;
        }
        if (FDataSync(handle) != 0) throw new IOException($"fdatasync failed (errno {Marshal.GetLastPInvokeError()})");
    }

    [LibraryImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static partial int FDataSync(Microsoft.Win32.SafeHandles.SafeFileHandle fd);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}

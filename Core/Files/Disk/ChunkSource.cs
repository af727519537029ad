// The sender's side of the disk: reads the chunks the receiver asks for, straight from the offered files.
namespace P2PChat.Core.Files.Disk;

/// <summary>Keeps one file open at a time (chunks are asked for file by file); the caller owns the buffer.</summary>
public sealed class ChunkSource(FileManifest manifest, string root) : IDisposable
{
    private Microsoft.Win32.SafeHandles.SafeFileHandle? _handle;
    private int _openEntry = -1;

    /// <summary>Reads chunk <paramref name="chunk"/> of <paramref name="entry"/> into <paramref name="destination"/>; returns its length.</summary>
    /// <exception cref="IOException">the file is gone or shorter than offered.</exception>
    public async ValueTask<int> ReadAsync(int entry, int chunk, Memory<byte> destination, CancellationToken ct)
    {
        var e = manifest.Entries[entry];
        if (_openEntry != entry)
        {
            _handle?.Dispose();
            _handle = File.OpenHandle(Path.Combine(root, e.Path), FileMode.Open, FileAccess.Read, FileShare.ReadWrite, FileOptions.SequentialScan);
            _openEntry = entry;
        }
        var length = manifest.ChunkLength(entry, chunk);
        await ReadExactlyAsync(_handle!, destination[..length], (long)chunk * manifest.ChunkSize, e.Path, ct).ConfigureAwait(false);
        return length;
    }

    internal static async ValueTask ReadExactlyAsync(Microsoft.Win32.SafeHandles.SafeFileHandle handle, Memory<byte> destination, long offset, string name, CancellationToken ct)
    {
        var done = 0;
        while (done < destination.Length)
        {
            var n = await RandomAccess.ReadAsync(handle, destination[done..], offset + done, ct).ConfigureAwait(false);
            if (n == 0) throw new IOException($"'{name}' is shorter than when it was offered");
            done += n;
        }
    }

    public void Dispose() => _handle?.Dispose();
}

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
        var length = manifest.ChunkLength(entry, chunk);
        await ReadExactlyAsync(Open(entry), destination[..length], (long)chunk * manifest.ChunkSize, manifest.Entries[entry].Path, ct).ConfigureAwait(false);
        return length;
    }

    /// <summary>Reads <paramref name="destination"/>'s length of chunk <paramref name="chunk"/> of <paramref name="entry"/>,
    /// from <paramref name="offset"/> into the chunk, at once on this thread (the sender fills the stream's send buffer
    /// with it piece by piece: from the page cache that is one copy, and the stream's buffer is the read-ahead).</summary>
    /// <exception cref="IOException">the file is gone or shorter than offered.</exception>
    public void Read(int entry, int chunk, int offset, Span<byte> destination)
    {
        var handle = Open(entry);
        var position = (long)chunk * manifest.ChunkSize + offset;
        for (var done = 0; done < destination.Length;)
        {
            var n = RandomAccess.Read(handle, destination[done..], position + done);
            if (n == 0) throw new IOException($"'{manifest.Entries[entry].Path}' is shorter than when it was offered");
            done += n;
        }
    }

    private Microsoft.Win32.SafeHandles.SafeFileHandle Open(int entry)
    {
        if (_openEntry != entry || _handle is null)
        {
            _handle?.Dispose();
            _handle = File.OpenHandle(Path.Combine(root, manifest.Entries[entry].Path), FileMode.Open, FileAccess.Read, FileShare.ReadWrite, FileOptions.SequentialScan);
            _openEntry = entry;
        }
        return _handle;
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

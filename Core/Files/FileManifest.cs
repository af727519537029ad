// What an offer announces: the files and folders of one transfer, their sizes and the hashes every chunk must match.
namespace P2PChat.Core.Files;

public enum EntryKind : byte
{
    File = 0,
    Folder = 1,
}

/// <summary>
/// One file or folder. <see cref="Path"/> is relative and '/'-separated and starts with the transfer's
/// <see cref="FileManifest.Name"/>. A file carries its whole-file SHA-256 and SHA-256's chaining state after each of
/// its chunks but the last (<see cref="ChainStates"/>: 32 bytes each, concatenated, ceil(size / chunk size) − 1 of
/// them; the last chunk ends in <see cref="Sha256"/>, see <see cref="ChunkChain"/>). A folder has size 0 and no states.
/// </summary>
public sealed record ManifestEntry(string Path, EntryKind Kind, long Size, byte[] Sha256, byte[] ChainStates)
{
    public static ManifestEntry Folder(string path) => new(path, EntryKind.Folder, 0, [], []);

    public int ChunkCount => Kind == EntryKind.File && Size > 0 ? ChainStates.Length / FileManifest.HashLength + 1 : 0;

    /// <summary>SHA-256's chaining state after chunks 0 … <paramref name="chunk"/> (not for the last chunk).</summary>
    public ReadOnlySpan<byte> ChainState(int chunk) => ChainStates.AsSpan(chunk * FileManifest.HashLength, FileManifest.HashLength);
}

/// <summary>
/// The offer of one transfer. Chunks are numbered per file; <see cref="ChunkBase"/> maps (file, chunk) to one index over
/// the whole transfer, in entry order, which is what the receiver's verified-chunk bitmap counts.
/// </summary>
public sealed class FileManifest
{
    public const int HashLength = 32;
    public const int MinChunkSize = 16 * 1024;
    public const int MaxChunkSize = 16 * 1024 * 1024;
    public const int DefaultChunkSize = 1024 * 1024;
    /// <summary>Chunk size grows (doubling from 1 MiB) until a transfer needs no more chunks than this.</summary>
    public const int TargetChunks = 64 * 1024;
    public const int MaxEntries = 100_000;
    public const int MaxTotalChunks = 1 << 19;

    private readonly int[] _chunkBase;

    public FileManifest(TransferId id, int chunkSize, IReadOnlyList<ManifestEntry> entries)
    {
        Id = id;
        ChunkSize = chunkSize;
        Entries = entries;
        _chunkBase = new int[entries.Count];
        var total = 0L;
        for (var i = 0; i < entries.Count; i++)
        {
            _chunkBase[i] = (int)Math.Min(total, int.MaxValue);
            total += entries[i].ChunkCount;
        }
        TotalChunks = (int)Math.Min(total, int.MaxValue);
    }

    public TransferId Id { get; }
    public int ChunkSize { get; }
    public IReadOnlyList<ManifestEntry> Entries { get; }
    public int TotalChunks { get; }

    /// <summary>The top-level name: the file's name, or the folder's.</summary>
    public string Name => Entries.Count == 0 ? "" : Entries[0].Path.Split('/')[0];

    public bool IsFolder => Entries.Count > 0 && Entries[0].Kind == EntryKind.Folder;
    public long TotalSize => Entries.Sum(e => e.Size);
    public int FileCount => Entries.Count(e => e.Kind == EntryKind.File);

    /// <summary>The transfer-wide index of chunk 0 of entry <paramref name="entry"/>.</summary>
    public int ChunkBase(int entry) => _chunkBase[entry];

    /// <summary>How many bytes chunk <paramref name="chunk"/> of entry <paramref name="entry"/> holds (the last one may be short).</summary>
    public int ChunkLength(int entry, int chunk) =>
        (int)Math.Min(ChunkSize, Entries[entry].Size - (long)chunk * ChunkSize);

    public static int ChunkCountFor(long size, int chunkSize) => (int)((size + chunkSize - 1) / chunkSize);

    /// <summary>1 MiB, doubled until the transfer fits <see cref="TargetChunks"/> (at most 16 MiB).</summary>
    public static int ChooseChunkSize(long totalSize)
    {
        var size = DefaultChunkSize;
        while (size < MaxChunkSize && totalSize / size > TargetChunks) size *= 2;
        return size;
    }
}

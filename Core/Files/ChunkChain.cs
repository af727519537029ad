// Manifest version 3's chunk check: each file's SHA-256 chaining state after every chunk, announced, and verified per chunk.
using P2PChat.Core.Crypto.Primitives;

namespace P2PChat.Core.Files;

/// <summary>
/// A file of n chunks (n = ceil(size / chunk size); chunk sizes are multiples of 64, so every chunk but the last ends
/// on a SHA-256 block boundary) is announced as its SHA-256 and the states S0 … S(n−2), Si being SHA-256's chaining
/// state after chunks 0 … i (<see cref="ManifestEntry.ChainStates"/>). Chunk i &lt; n−1 verifies when compressing it
/// from S(i−1) (the initial state for i = 0) gives Si; the last chunk verifies when compressing and finishing it
/// (padding with the file's size) from S(n−2) gives the announced SHA-256. Each check needs only the announced states,
/// so chunks verify in any order, as they arrive, and each byte is hashed once. When every chunk of a file verified,
/// the file's SHA-256 is the announced one: the verified chunks form the chain from the initial state to that digest
/// (by induction over the chunks), whatever states were announced. So the whole-file check needs no second pass.
/// </summary>
public static class ChunkChain
{
    /// <summary>The SHA-256 of no bytes: what an empty file must announce.</summary>
    public static ReadOnlySpan<byte> EmptySha256 =>
    [
        0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24,
        0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
    ];

    /// <summary>Whether <paramref name="data"/> (of the chunk's exact length, which the caller checks) is chunk
    /// <paramref name="chunk"/> of <paramref name="entry"/> by the announced states.</summary>
    public static bool Verifies(ManifestEntry entry, int chunk, ReadOnlySpan<byte> data)
    {
        var before = chunk == 0 ? Sha256State.Initial : Sha256State.Read(entry.ChainState(chunk - 1));
        Span<byte> got = stackalloc byte[Sha256State.Length];
        if (chunk < entry.ChunkCount - 1)
        {
            if (data.Length % Sha256State.BlockLength != 0) return false;
            before.Compress(data).WriteTo(got);
            return got.SequenceEqual(entry.ChainState(chunk));
        }
        var offset = entry.Size - data.Length;
        if (offset < 0 || offset % Sha256State.BlockLength != 0) return false;
        before.Finish(data, entry.Size, got);
        return got.SequenceEqual(entry.Sha256);
    }
}

/// <summary>The sender's side: fed a file's chunks in order (one pass, one hash per byte), gives its manifest entry.</summary>
public sealed class ChunkChainBuilder
{
    private readonly long _size;
    private readonly int _count;
    private readonly byte[] _states;
    private Sha256State _state = Sha256State.Initial;
    private byte[]? _sha256;
    private int _next;
    private long _bytes;

    public ChunkChainBuilder(long size, int chunkSize)
    {
        if (chunkSize % Sha256State.BlockLength != 0) throw new ArgumentException($"chunk size {chunkSize} is not a multiple of 64", nameof(chunkSize));
        _size = size;
        _count = FileManifest.ChunkCountFor(size, chunkSize);
        _states = new byte[Math.Max(0, _count - 1) * FileManifest.HashLength];
        if (_count == 0) _sha256 = ChunkChain.EmptySha256.ToArray();
    }

    /// <summary>Hashes the next chunk (all chunks but the last have the full chunk size).</summary>
    public void Append(ReadOnlySpan<byte> chunk)
    {
        if (_next >= _count) throw new InvalidOperationException("every chunk of the file was already appended");
        _bytes += chunk.Length;
        if (_next < _count - 1)
        {
            _state = _state.Compress(chunk);
            _state.WriteTo(_states.AsSpan(_next * FileManifest.HashLength));
        }
        else
        {
            if (_bytes != _size) throw new InvalidOperationException($"the chunks held {_bytes} bytes, not {_size}");
            _sha256 = _state.Finish(chunk, _size);
        }
        _next++;
    }

    /// <summary>How many chunks the file has (what <see cref="Append"/> expects, in order).</summary>
    public int ChunkCount => _count;

    public ManifestEntry ToEntry(string path) =>
        new(path, EntryKind.File, _size, _sha256 ?? throw new InvalidOperationException($"{_count - _next} chunks were not appended"), _states);
}

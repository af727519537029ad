// The whole-file SHA-256 of received files, computed in chunk order on a worker so the receive loop never waits on it.
using System.Security.Cryptography;
using System.Threading.Channels;

namespace P2PChat.Core.Files.Disk;

/// <summary>
/// The receive loop hands over each verified chunk (<see cref="TryAppendAsync"/>); a file whose chunks all came in order
/// from chunk 0 gets its SHA-256 from <see cref="FinishAsync"/> without reading the file again. A chunk out of order (a
/// resume, a refetched chunk) gives that file up: <see cref="FinishAsync"/> then returns null and the caller re-reads
/// the partial file. One worker task serves every file of a transfer; at most <c>capacity</c> chunks wait for it, so
/// memory stays bounded (the loop waits when the worker falls behind). A chunk handed over keeps a reference to its
/// <see cref="ChunkBuffer"/> until it is hashed. Used by one receive loop at a time.
/// </summary>
public sealed class WholeFileHasher : IAsyncDisposable
{
    private readonly Channel<Work> _queue;
    private readonly int[] _next;      // the chunk each entry expects next; -1 once given up
    private readonly IncrementalHash?[] _hashes;
    private readonly Task _worker;

    private readonly record struct Work(int Entry, ChunkBuffer? Buffer, ReadOnlyMemory<byte> Data, TaskCompletionSource<byte[]?>? Finished);

    public WholeFileHasher(int entries, int capacity)
    {
        _next = new int[entries];
        _hashes = new IncrementalHash?[entries];
        _queue = Channel.CreateBounded<Work>(new BoundedChannelOptions(Math.Max(1, capacity)) { SingleReader = true, SingleWriter = true });
        _worker = Task.Run(RunAsync);
    }

    /// <summary>Queues <paramref name="data"/> (chunk <paramref name="chunk"/>, held by <paramref name="buffer"/>, of which
    /// it takes a reference until hashed) when the chunk is the next one of its file in order, and returns true; else
    /// gives the file's hash up and returns false. The caller keeps its own reference either way.</summary>
    public async ValueTask<bool> TryAppendAsync(int entry, int chunk, ChunkBuffer buffer, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        if (_next[entry] != chunk)
        {
            _next[entry] = -1;
            return false;
        }
        _next[entry]++;
        buffer.Retain();
        try { await _queue.Writer.WriteAsync(new Work(entry, buffer, data, null), ct).ConfigureAwait(false); }
        catch
        {
            buffer.Release();
            throw;
        }
        return true;
    }

    /// <summary>The SHA-256 of every chunk of <paramref name="entry"/> appended so far, when they were all of them in
    /// order (<paramref name="chunkCount"/>), else null.</summary>
    public async Task<byte[]?> FinishAsync(int entry, int chunkCount, CancellationToken ct)
    {
        if (_next[entry] != chunkCount)
        {
            _next[entry] = -1;
            return null;
        }
        _next[entry] = -1;
        var finished = new TaskCompletionSource<byte[]?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await _queue.Writer.WriteAsync(new Work(entry, null, default, finished), ct).ConfigureAwait(false);
        return await finished.Task.WaitAsync(ct).ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        await foreach (var work in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (work.Finished is { } finished)
            {
                var hash = _hashes[work.Entry];
                _hashes[work.Entry] = null;
                finished.TrySetResult(hash?.GetHashAndReset() ?? SHA256.HashData(ReadOnlySpan<byte>.Empty));
                hash?.Dispose();
                continue;
            }
            try
            {
                (_hashes[work.Entry] ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256)).AppendData(work.Data.Span);
            }
            finally
            {
                work.Buffer!.Release();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _worker.ConfigureAwait(false);
        foreach (var hash in _hashes) hash?.Dispose();
    }
}

// The receiver's half of a data stream: request what is missing, verify every chunk before writing it, finish files.
using P2PChat.Core.Files.Disk;

namespace P2PChat.Core.Files.Sessions;

/// <summary>Timing of the receiver's stall watchdog (the injected clock drives it).</summary>
/// <param name="StallTimeout">no data for this long while chunks are owed: the session ends as stalled, so the link is made
/// again. Counted in bytes, not chunks (<see cref="TransferStream.BytesRead"/>): a slow link that takes longer than this
/// for one chunk is not stalled.</param>
/// <param name="CheckpointChunks">verified chunks between two bitmap saves (each save flushes the data first).</param>
/// <param name="CheckpointInterval">and at most this long between two saves while chunks arrive, so a killed receiver
/// on a slow link loses at most this much verified work (one flush a second costs nothing measurable).</param>
/// <param name="MaxRefetches">times one chunk may fail verification before the transfer fails.</param>
public sealed record ReceiveOptions(TimeSpan StallTimeout, int CheckpointChunks = 64, int MaxRefetches = 4)
{
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromSeconds(1);

    public static readonly ReceiveOptions Default = new(TimeSpan.FromSeconds(10));
}

/// <summary>
/// Runs after the caller read Hello and found the id to be a transfer it accepted from this peer. Sends Ready, then one
/// Request per run of missing chunks (from the verified-chunk bitmap on disk, so nothing verified is fetched or hashed
/// again), then reads chunks: each is checked against the SHA-256 chaining states the offer announced
/// (<see cref="ChunkChain"/>) before it touches the disk; a chunk that does not match (corrupted or forged) is refused
/// and requested again. The last chunk's check ends in the announced whole-file SHA-256, so a file whose chunks are all
/// verified has that SHA-256 and gets its final name at once, with no second pass over its bytes; finished files of a
/// folder are kept whatever happens to the rest. Ends with Done when every file is finished.
/// Pipeline (memory bounded): the next frame is read off the link (into its own pooled, page-aligned buffer) while this
/// one is verified and written (from that buffer, in the background).
/// </summary>
public sealed class ReceiveSession(FileManifest manifest, IncomingFiles files, TimeProvider time, ReceiveOptions options)
{
    /// <summary>Verified bytes so far (all files), after every chunk.</summary>
    public Action<long>? Progress { get; init; }

    /// <summary>A file got its final name: entry index, final path.</summary>
    public Action<int, string>? FileFinished { get; init; }

    /// <summary>Chunks refused because they did not match their hash.</summary>
    public int Refused { get; private set; }

    /// <summary>Chunks whose chain check may run at once, off the receive loop (<see cref="ConcludeAsync"/>).</summary>
    public const int VerifyDepth = 2;

    /// <summary>Chunk buffers a session's own pool keeps for reuse (<see cref="ChunkBufferPool"/>): one being read,
    /// <see cref="VerifyDepth"/> being verified and those written to the disk from where they were received (two at
    /// most). Six until manifest version 3, when two more waited for the whole-file hash worker.</summary>
    public const int PooledChunkBuffers = 3 + VerifyDepth;

    private readonly Dictionary<int, int> _refetches = [];
    private long _lastCheckpoint;
    private long _verifiedBytes;

    public async Task<SessionResult> RunAsync(TransferStream stream, CancellationToken ct)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var lastChunk = time.GetTimestamp();
        var stalled = false;
        var waiting = true; // false only while a received chunk is being verified, written or finished
        var seenBytes = stream.BytesRead;
        using var watchdog = time.CreateTimer(_ =>
        {
            // Bytes came since the last tick (part of a chunk on a slow link): that is progress, not a stall.
            var bytes = stream.BytesRead;
            if (bytes != Interlocked.Exchange(ref seenBytes, bytes)) { Interlocked.Exchange(ref lastChunk, time.GetTimestamp()); return; }
            if (!Volatile.Read(ref waiting) || time.GetElapsedTime(Interlocked.Read(ref lastChunk)) < options.StallTimeout) return;
            stalled = true;
            try { session.Cancel(); } catch (ObjectDisposedException) { }
        }, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        _refetches.Clear();
        var buffers = new ChunkBufferPool(manifest.ChunkSize, PooledChunkBuffers);
        Task<(TransferMessage? Message, ChunkBuffer? Buffer)>? next = null;
        _lastCheckpoint = time.GetTimestamp();
        var checks = new Queue<Check>();
        var inFlight = new HashSet<int>();
        async Task<SessionResult?> ConcludeOldestAsync()
        {
            var check = checks.Dequeue();
            try { return await ConcludeAsync(check, stream, session.Token).ConfigureAwait(false); }
            finally
            {
                inFlight.Remove(check.Global);
                check.Buffer.Release();
            }
        }
        try
        {
            Volatile.Write(ref waiting, false);
            foreach (var entry in files.Prepare()) FileFinished?.Invoke(entry, files.FinalPath(entry));
            for (var i = 0; i < manifest.Entries.Count; i++)
                if (manifest.Entries[i].Kind == EntryKind.File && !files.IsFinished(i) && files.Verified.AllSet(manifest.ChunkBase(i), manifest.Entries[i].ChunkCount))
                {
                    var path = files.FinishFile(i);
                    FileFinished?.Invoke(i, path);
                }
            _verifiedBytes = VerifiedBytes();
            Progress?.Invoke(_verifiedBytes);
            if (files.Verified.IsComplete) return await CompleteAsync(stream, session.Token).ConfigureAwait(false);
            Interlocked.Exchange(ref lastChunk, time.GetTimestamp());
            Volatile.Write(ref waiting, true);
            await stream.WriteAsync(new ReadyMessage(), session.Token).ConfigureAwait(false);
            await RequestMissingAsync(stream, session.Token).ConfigureAwait(false);
            next = stream.ReadDetachedAsync(buffers, session.Token).AsTask();
            while (true)
            {
                // Checks under way finish first while no frame is waiting (the last chunks must not wait for a frame that
                // never comes), or when VerifyDepth are already running; otherwise the next frame is taken at once.
                while (checks.Count > 0 && (checks.Count >= VerifyDepth || !next.IsCompleted))
                    if (await ConcludeOldestAsync().ConfigureAwait(false) is { } done) return done;
                Interlocked.Exchange(ref lastChunk, time.GetTimestamp());
                Volatile.Write(ref waiting, true);
                var (message, buffer) = await next.ConfigureAwait(false);
                Volatile.Write(ref waiting, false);
                if (message is null)
                {
                    // What arrived before the end is kept: the checks under way are acted on first.
                    while (checks.Count > 0)
                        if (await ConcludeOldestAsync().ConfigureAwait(false) is { } done) return done;
                    return new(SessionOutcome.Interrupted, "the sender ended the stream");
                }
                // The next frame comes off the link while this one is verified and written.
                next = stream.ReadDetachedAsync(buffers, session.Token).AsTask();
                var handed = false;
                try
                {
                    if (message is not ChunkMessage chunk) throw new FileProtocolException($"a {message.Type} message where chunks were expected");
                    if (chunk.Entry >= manifest.Entries.Count || manifest.Entries[chunk.Entry] is not { Kind: EntryKind.File } entry || chunk.Index >= entry.ChunkCount)
                        throw new FileProtocolException($"chunk {chunk.Index} of entry {chunk.Entry}, which the offer does not have");
                    var global = manifest.ChunkBase(chunk.Entry) + chunk.Index;
                    if (files.Verified[global] || !inFlight.Add(global)) continue;
                    // The chain check (SHA-256 over the chunk) runs on a pool thread, so this loop takes the next frame
                    // meanwhile: hashing on the loop made it the slowest stage of a transfer in one process.
                    checks.Enqueue(new Check(chunk, entry, global, buffer!, Task.Run(() => Matches(chunk, entry), CancellationToken.None)));
                    handed = true;
                }
                finally
                {
                    if (!handed) buffer?.Release();
                }
            }
        }
        catch (OperationCanceledException) when (stalled && !ct.IsCancellationRequested)
        {
            return new(SessionOutcome.Interrupted, $"stalled: no data for {options.StallTimeout.TotalSeconds:0} s");
        }
        catch (IOException e) when (IncomingFiles.IsDiskFull(e))
        {
            return new(SessionOutcome.DiskFull, $"the disk is full ({e.Message}); the partial files are kept for resume");
        }
        finally
        {
            // A check still hashing reads its buffer: it ends before the buffer goes back to the pool.
            while (checks.TryDequeue(out var check))
            {
                try { await check.Verified.ConfigureAwait(false); }
                catch (Exception) { /* the session is over whatever the check says */ }
                check.Buffer.Release();
            }
            Abandon(next, session);
            try { files.Checkpoint(); }
            catch (IOException) { }
        }
    }

    /// <summary>A received chunk whose chain check runs in the background; it holds the chunk's buffer.</summary>
    private sealed record Check(ChunkMessage Chunk, ManifestEntry Entry, int Global, ChunkBuffer Buffer, Task<bool> Verified);

    /// <summary>Acts on one chunk's check, in arrival order: a chunk that matches is written (the write holds its buffer
    /// until done) and its file finished when it was the file's last; one that does not is refused and asked for
    /// again. Returns the session's result when the transfer ended here.</summary>
    private async Task<SessionResult?> ConcludeAsync(Check check, TransferStream stream, CancellationToken ct)
    {
        var (chunk, entry, global) = (check.Chunk, check.Entry, check.Global);
        if (!await check.Verified.ConfigureAwait(false))
        {
            Refused++;
            var tries = _refetches[global] = _refetches.GetValueOrDefault(global) + 1;
            if (tries > options.MaxRefetches)
                return await FailAsync(stream, $"chunk {chunk.Index} of '{entry.Path}' failed verification {tries} times (the source may have changed)", ct).ConfigureAwait(false);
            await stream.WriteAsync(new RequestMessage(chunk.Entry, chunk.Index, 1), ct).ConfigureAwait(false);
            return null;
        }
        await files.WriteVerifiedAsync(chunk.Entry, chunk.Index, check.Buffer, chunk.Data.Length).ConfigureAwait(false);
        _verifiedBytes += chunk.Data.Length;
        Progress?.Invoke(_verifiedBytes);
        TransferGarbage.Bound();
        // In the background: the loop goes on while the data is flushed and the bitmap saved.
        if ((files.Unsaved >= options.CheckpointChunks || time.GetElapsedTime(_lastCheckpoint) >= options.CheckpointInterval)
            && files.TryBeginCheckpoint())
            _lastCheckpoint = time.GetTimestamp();
        if (files.Verified.AllSet(manifest.ChunkBase(chunk.Entry), entry.ChunkCount))
        {
            var path = files.FinishFile(chunk.Entry);
            FileFinished?.Invoke(chunk.Entry, path);
        }
        return files.Verified.IsComplete ? await CompleteAsync(stream, ct).ConfigureAwait(false) : null;
    }

    /// <summary>Stops the read of a frame nobody will look at (the session ended), and gives its buffer back.</summary>
    private static void Abandon(Task<(TransferMessage? Message, ChunkBuffer? Buffer)>? read, CancellationTokenSource session)
    {
        if (read is null) return;
        try { session.Cancel(); } catch (ObjectDisposedException) { }
        _ = read.ContinueWith(t =>
        {
            if (t.IsCompletedSuccessfully) t.Result.Buffer?.Release();
            else _ = t.Exception; // observed: the session is over, whatever ended the read
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Whether a chunk has the length of its place and leads from the offer's chaining state before it to the
    /// one after it (the last chunk: to the whole-file SHA-256), <see cref="ChunkChain"/>.</summary>
    private bool Matches(ChunkMessage chunk, ManifestEntry entry) =>
        chunk.Data.Length == manifest.ChunkLength(chunk.Entry, chunk.Index) && ChunkChain.Verifies(entry, chunk.Index, chunk.Data.Span);

    private long VerifiedBytes()
    {
        long bytes = 0;
        for (var i = 0; i < manifest.Entries.Count; i++)
            for (var c = 0; c < manifest.Entries[i].ChunkCount; c++)
                if (files.Verified[manifest.ChunkBase(i) + c]) bytes += manifest.ChunkLength(i, c);
        return bytes;
    }

    private async Task RequestMissingAsync(TransferStream stream, CancellationToken ct)
    {
        for (var i = 0; i < manifest.Entries.Count; i++)
        {
            var entry = manifest.Entries[i];
            if (entry.Kind != EntryKind.File) continue;
            foreach (var (start, length) in files.Verified.MissingRuns(manifest.ChunkBase(i), entry.ChunkCount))
                await stream.WriteAsync(new RequestMessage(i, start - manifest.ChunkBase(i), length), ct).ConfigureAwait(false);
        }
    }

    private async Task<SessionResult> CompleteAsync(TransferStream stream, CancellationToken ct)
    {
        await stream.WriteAsync(new DoneMessage(manifest.Id), ct).ConfigureAwait(false);
        stream.Stream.CompleteWrites();
        return new(SessionOutcome.Completed);
    }

    private async Task<SessionResult> FailAsync(TransferStream stream, string reason, CancellationToken ct)
    {
        await stream.WriteAsync(new FailedMessage(manifest.Id, reason), ct).ConfigureAwait(false);
        stream.Stream.CompleteWrites();
        return new(SessionOutcome.Failed, reason);
    }
}

// The sender's half of a data stream: present the transfer id, then serve the chunks the receiver requests.
using P2PChat.Core.Transport;

namespace P2PChat.Core.Files.Sessions;

public enum SessionOutcome
{
    /// <summary>The receiver verified and finished every file.</summary>
    Completed,
    /// <summary>The stream ended early (link cut, peer gone, stall): resume on the next link.</summary>
    Interrupted,
    /// <summary>The receiver refused the transfer id on this stream.</summary>
    Refused,
    /// <summary>The transfer cannot go on (e.g. a chunk that never verifies); see the reason.</summary>
    Failed,
    /// <summary>The receiver's disk is full: its partial files are kept, and the transfer resumes when asked again.</summary>
    DiskFull,
}

public sealed record SessionResult(SessionOutcome Outcome, string? Reason = null);

/// <summary>
/// <code>
/// sender                         receiver
/// Hello(id)        -------->                      (the receiver checks the id before anything else)
///                  <--------     Ready | Refused(reason) and end
///                  <--------     Request(entry, first, count) ...   (missing chunks; later re-requests of bad ones)
/// Chunk ...        -------->
///                  <--------     Done(id) and end
/// </code>
/// Requests are served in arrival order; flow control is the stream's own (a slow receiver slows the reads from disk),
/// so memory stays at two chunks, or none of ours when the stream lends its send buffer (<see cref="IInPlaceWriteStream"/>:
/// the UDP transport's), into which the chunks are then read from the disk directly. <paramref name="sent"/> is told the bytes of every chunk written; a
/// <paramref name="pacer"/> caps the rate (--file-send-rate).
/// Stall watchdog (with <paramref name="time"/>): a piece of a chunk write (<see cref="WriteSlice"/> bytes, so a slow link
/// that takes longer than the timeout for a whole chunk is not taken for a stalled one) that does not complete within <paramref name="stallTimeout"/>
/// (the stream's window stays full: the receiver is gone though the link looks alive, e.g. it was killed and restarted),
/// or no message from the receiver for <see cref="ReadStallFactor"/> times that while waiting for one, ends the session
/// as stalled, so the caller drops the link and makes a new one.
/// </summary>
public sealed class SendSession(FileManifest manifest, Disk.ChunkSource source, Action<long>? sent = null, SendPacer? pacer = null,
    TimeProvider? time = null, TimeSpan? stallTimeout = null)
{
    private long _writeStarted = -1; // timestamp of the chunk write under way, -1 when none
    private long _readStarted = -1;  // timestamp of the wait for the receiver's next message, -1 when none

    /// <summary>Waiting for the receiver's next message is a stall only after this many stall timeouts: it may be
    /// finishing a file (a whole-file hash re-read after an out-of-order resume) before it answers.</summary>
    public const int ReadStallFactor = 3;

    /// <summary>A chunk frame is written to the stream in pieces of this size, each timed by the watchdog on its own.</summary>
    public const int WriteSlice = 64 * 1024;

    public async Task<SessionResult> RunAsync(TransferStream stream, CancellationToken outer)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(outer);
        var stalled = false;
        using var watchdog = time is null || stallTimeout is not { } limit ? null : time.CreateTimer(_ =>
        {
            var writing = Interlocked.Read(ref _writeStarted);
            var reading = Interlocked.Read(ref _readStarted);
            if ((writing < 0 || time.GetElapsedTime(writing) < limit) && (reading < 0 || time.GetElapsedTime(reading) < limit * ReadStallFactor)) return;
            stalled = true;
            try { session.Cancel(); } catch (ObjectDisposedException) { }
        }, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        try { return await ServeSessionAsync(stream, session.Token).ConfigureAwait(false); }
        catch (OperationCanceledException) when (stalled && !outer.IsCancellationRequested)
        {
            return new(SessionOutcome.Interrupted, $"stalled: the receiver took no data or sent nothing for {stallTimeout!.Value.TotalSeconds:0} s (or {stallTimeout.Value.TotalSeconds * ReadStallFactor:0} s for an answer)");
        }
    }

    /// <summary>The receiver's next message, timed by the watchdog (a link that died without closing never answers).</summary>
    private async Task<TransferMessage?> ReadAsync(TransferStream stream, CancellationToken ct)
    {
        Interlocked.Exchange(ref _readStarted, time?.GetTimestamp() ?? -1);
        try { return await stream.ReadAsync(ct).ConfigureAwait(false); }
        finally { Interlocked.Exchange(ref _readStarted, -1); }
    }

    private async Task<SessionResult> ServeSessionAsync(TransferStream stream, CancellationToken ct)
    {
        await stream.WriteAsync(new HelloMessage(manifest.Id), ct).ConfigureAwait(false);
        var first = await ReadAsync(stream, ct).ConfigureAwait(false);
        switch (first)
        {
            case null: return new(SessionOutcome.Interrupted, "the receiver ended the stream");
            case RefusedMessage refused: return new(SessionOutcome.Refused, refused.Reason);
            case ReadyMessage: break;
            default: throw new FileProtocolException($"expected Ready, got {first.Type}");
        }
        // A stream that lends its send buffer gets each chunk read from the disk straight into it; otherwise two frames
        // of the exact size (not pooled: the pool rounds 1 MiB + 13 bytes up to a 2 MiB array and keeps it afterwards).
        var lending = stream.Stream as IInPlaceWriteStream;
        var frameLength = lending is null ? ChunkHeader + manifest.ChunkSize : ChunkHeader;
        var frame = GC.AllocateUninitializedArray<byte>(frameLength);
        var spare = lending is null ? GC.AllocateUninitializedArray<byte>(frameLength) : frame;
        while (true)
        {
            switch (await ReadAsync(stream, ct).ConfigureAwait(false))
            {
                case null: return new(SessionOutcome.Interrupted, "the receiver ended the stream");
                case DoneMessage: return new(SessionOutcome.Completed);
                case FailedMessage failed: return new(SessionOutcome.Failed, failed.Reason);
                case RequestMessage request when lending is not null: await ServeInPlaceAsync(lending, Check(request), frame, ct).ConfigureAwait(false); break;
                case RequestMessage request: await ServeAsync(stream, Check(request), frame, spare, ct).ConfigureAwait(false); break;
                case var other: throw new FileProtocolException($"a {other.Type} message on a data stream");
            }
        }
    }

    /// <summary>The frame header and the chunk header before a chunk's data.</summary>
    private const int ChunkHeader = TransferFrameCodec.HeaderLength + TransferFrameCodec.ChunkHeaderLength;

    private RequestMessage Check(RequestMessage request)
    {
        if (request.Entry >= manifest.Entries.Count || manifest.Entries[request.Entry] is not { Kind: EntryKind.File } entry
            || request.Count <= 0 || request.First < 0 || (long)request.First + request.Count > entry.ChunkCount)
            throw new FileProtocolException($"a request for chunks {request.First}+{request.Count} of entry {request.Entry}, which the offer does not have");
        return request;
    }

    /// <summary>Serves a request into a stream that lends its send buffer: the chunk header is written, then the data is
    /// read from the disk piece by piece (<see cref="WriteSlice"/>, each timed by the watchdog) into the send buffer.</summary>
    private async Task ServeInPlaceAsync(IInPlaceWriteStream stream, RequestMessage request, byte[] header, CancellationToken ct)
    {
        for (var chunk = request.First; chunk < request.First + request.Count; chunk++)
        {
            var length = manifest.ChunkLength(request.Entry, chunk);
            TransferFrameCodec.WriteChunkHeader(header, request.Entry, chunk, length);
            if (pacer is not null) await pacer.WaitAsync(length, ct).ConfigureAwait(false);
            Interlocked.Exchange(ref _writeStarted, time?.GetTimestamp() ?? -1);
            await stream.WriteAsync(header.AsMemory(0, ChunkHeader), ct).ConfigureAwait(false);
            for (var offset = 0; offset < length;)
            {
                Interlocked.Exchange(ref _writeStarted, time?.GetTimestamp() ?? -1);
                var piece = await stream.GetWriteBufferAsync(Math.Min(WriteSlice, length - offset), ct).ConfigureAwait(false);
                source.Read(request.Entry, chunk, offset, piece.Span); // a failed read leaves the piece uncommitted: the session ends
                stream.CommitWrite(piece.Length);
                offset += piece.Length;
            }
            Interlocked.Exchange(ref _writeStarted, -1);
            sent?.Invoke(length);
            TransferGarbage.Bound();
        }
    }

    private async Task ServeAsync(TransferStream stream, RequestMessage request, byte[] frame, byte[] spare, CancellationToken ct)
    {
        const int header = ChunkHeader;
        var end = request.First + request.Count;
        // Double buffering: the next chunk is read from disk while this one goes out on the stream.
        var reading = ReadChunkAsync(request.Entry, request.First, frame, header, ct);
        try
        {
            for (var chunk = request.First; chunk < end; chunk++)
            {
                var length = await reading.ConfigureAwait(false);
                var current = frame;
                if (chunk + 1 < end)
                {
                    (frame, spare) = (spare, frame);
                    reading = ReadChunkAsync(request.Entry, chunk + 1, frame, header, ct);
                }
                TransferFrameCodec.WriteChunkHeader(current, request.Entry, chunk, length);
                if (pacer is not null) await pacer.WaitAsync(length, ct).ConfigureAwait(false);
                for (var offset = 0; offset < header + length; offset += WriteSlice)
                {
                    Interlocked.Exchange(ref _writeStarted, time?.GetTimestamp() ?? -1);
                    await stream.Stream.WriteAsync(current.AsMemory(offset, Math.Min(WriteSlice, header + length - offset)), ct).ConfigureAwait(false);
                }
                Interlocked.Exchange(ref _writeStarted, -1);
                sent?.Invoke(length);
                TransferGarbage.Bound();
            }
        }
        finally
        {
            // A read still under way must end before the caller gives its buffer back.
            try { await reading.ConfigureAwait(false); }
            catch (Exception) when (!reading.IsCompletedSuccessfully) { }
        }
    }

    private Task<int> ReadChunkAsync(int entry, int chunk, byte[] frame, int header, CancellationToken ct) =>
        source.ReadAsync(entry, chunk, frame.AsMemory(header), ct).AsTask();
}

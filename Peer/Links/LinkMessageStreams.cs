// PMs on contact-link streams (LinkMessageCodec): one long-lived sending stream per link with answers matched in order, and the receiving loop.
using P2PChat.Core.Links;
using P2PChat.Core.Payloads;
using P2PChat.Core.Transport;

namespace P2PChat.Peer.Links;

/// <summary>
/// <para><b>Sending</b> (<see cref="SendAsync"/>): the first PM to a link opens a stream of kind
/// <see cref="PayloadKind.PrivateMessage"/>; later PMs go on the same stream, so a PM costs one packet and no stream
/// set-up on either side, and PMs to one contact arrive in the order they were sent. Messages are written one at a
/// time, each queued for its answer in the same order as its bytes; a reader per stream completes the queue in order.
/// A stream that ends or fails, or whose message was not answered before the caller gave up, is abandoned: every
/// message still waiting on it fails at once (the route then hands it to the server) and the next PM opens a new
/// stream.</para>
/// <para><b>Receiving</b> (<see cref="ReceiveAsync"/>): reads messages until the stream ends, answering each after it
/// was handled.</para>
/// </summary>
public sealed class LinkMessageStreams
{
    private readonly Lock _gate = new();
    private readonly Dictionary<IContactLink, Outbound> _outbound = new(ReferenceEqualityComparer.Instance);

    /// <summary>Streams open for sending now (for tests and diagnostics).</summary>
    public int OpenCount
    {
        get { lock (_gate) return _outbound.Count; }
    }

    /// <summary>
    /// Writes <paramref name="message"/> (encoded by <see cref="LinkMessageCodec.Encode"/>) to the link's PM stream and
    /// waits for its answer: true when the receiver took it, false when the stream failed or ended first. Throws
    /// <see cref="OperationCanceledException"/> when <paramref name="ct"/> ends the wait (the stream is then abandoned),
    /// and <see cref="TransportException"/> when no stream can be opened on the link.
    /// </summary>
    public async ValueTask<bool> SendAsync(IContactLink link, byte[] message, CancellationToken ct)
    {
        var answer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        Outbound outbound;
        while (true)
        {
            outbound = StreamFor(link);
            await outbound.WriteGate.WaitAsync(ct).ConfigureAwait(false);
            if (!outbound.Abandoned) break;
            outbound.WriteGate.Release();   // abandoned while we waited: the next stream takes the message
        }
        try
        {
            lock (outbound.Pending) outbound.Pending.Enqueue(answer);
            await outbound.Stream.WriteAsync(message, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TransportException or ObjectDisposedException or InvalidOperationException)
        {
            Abandon(outbound);   // the stream may hold part of the message: nothing more may follow it
            return false;
        }
        catch (OperationCanceledException)
        {
            Abandon(outbound);
            throw;
        }
        finally
        {
            outbound.WriteGate.Release();
        }
        try
        {
            return await answer.Task.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Abandon(outbound);   // the answers behind this one would come late as well
            throw;
        }
    }

    private Outbound StreamFor(IContactLink link)
    {
        lock (_gate)
        {
            if (_outbound.TryGetValue(link, out var existing)) return existing;
            var outbound = new Outbound(link, link.OpenStream(PayloadKind.PrivateMessage));
            _outbound.Add(link, outbound);
            _ = Task.Run(() => ReadAnswersAsync(outbound));
            return outbound;
        }
    }

    /// <summary>Completes the queue of unanswered messages in order, one answer byte each, until the stream ends.</summary>
    private async Task ReadAnswersAsync(Outbound outbound)
    {
        var answers = new byte[64];
        try
        {
            while (true)
            {
                int n = await outbound.Stream.ReadAsync(answers, outbound.Link.Closed).ConfigureAwait(false);
                if (n == 0) break;
                for (int i = 0; i < n; i++)
                {
                    TaskCompletionSource<bool>? waiting;
                    lock (outbound.Pending) outbound.Pending.TryDequeue(out waiting);
                    if (waiting is null || answers[i] != LinkMessageCodec.Taken)
                    {
                        waiting?.TrySetResult(false);
                        return;   // an answer nobody waits for, or one we do not know: the stream is out of step
                    }
                    waiting.TrySetResult(true);
                }
            }
        }
        catch (Exception e) when (e is TransportException or OperationCanceledException or ObjectDisposedException)
        {
            // the link went away
        }
        finally
        {
            Abandon(outbound);
        }
    }

    /// <summary>Retires a stream: it takes no more messages and those waiting on it fail (once; later calls do nothing).</summary>
    private void Abandon(Outbound outbound)
    {
        lock (_gate)
        {
            if (outbound.Abandoned) return;
            outbound.Abandoned = true;
            if (_outbound.TryGetValue(outbound.Link, out var current) && ReferenceEquals(current, outbound)) _outbound.Remove(outbound.Link);
        }
        lock (outbound.Pending)
            while (outbound.Pending.TryDequeue(out var waiting)) waiting.TrySetResult(false);
        try { outbound.Stream.CompleteWrites(); }
        catch (Exception e) when (e is TransportException or InvalidOperationException or ObjectDisposedException) { }
    }

    /// <summary>
    /// Reads messages off an incoming PM stream until it ends (or brings a header it refuses), handing each to
    /// <paramref name="take"/> and answering <see cref="LinkMessageCodec.Taken"/> once <paramref name="take"/> returned;
    /// then completes its own writes.
    /// </summary>
    public static async Task ReceiveAsync(IReliableStream stream, Func<LinkMessageCodec.Flags, byte[], ValueTask> take, CancellationToken ct)
    {
        var header = new byte[LinkMessageCodec.HeaderLength];
        var taken = new[] { LinkMessageCodec.Taken };
        while (await stream.ReadFullyAsync(header, ct).ConfigureAwait(false) == header.Length
               && LinkMessageCodec.ReadHeader(header, out _) is { } h)
        {
            var body = new byte[h.Length];
            if (await stream.ReadFullyAsync(body, ct).ConfigureAwait(false) != body.Length) break;
            await take(h.Flags, body).ConfigureAwait(false);
            await stream.WriteAsync(taken, ct).ConfigureAwait(false);
        }
        stream.CompleteWrites();
    }

    private sealed class Outbound(IContactLink link, IReliableStream stream)
    {
        public IContactLink Link { get; } = link;
        public IReliableStream Stream { get; } = stream;
        public SemaphoreSlim WriteGate { get; } = new(1, 1);
        /// <summary>Messages written and not yet answered, in stream order.</summary>
        public Queue<TaskCompletionSource<bool>> Pending { get; } = new();
        /// <summary>Guarded by the owner's lock.</summary>
        public bool Abandoned { get; set; }
    }
}

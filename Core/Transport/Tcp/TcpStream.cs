// One stream of a TCP-path connection: the same IReliableStream contract as the UDP transport's streams.
using System.Buffers;

namespace P2PChat.Core.Transport.Tcp;

/// <summary>
/// Receive side: chunks queued by the connection's read loop until the application reads them; the peer may have at
/// most its credit unread (1 MiB, replenished by WINDOW frames as we read). Send side: writes wait for credit.
/// State is guarded by the connection's lock. Received data waits in <see cref="ArrayPool{T}.Shared"/> buffers that go
/// back to the pool once read: a new array per frame (up to 64 KiB) made a GiB of garbage per GiB received, and where
/// the workstation GC's gen0 budget follows a large L3 cache (260 MiB on the team's VM) that garbage stood in the
/// receiver's resident memory (docs/benchmarks.md, "Session 11 (L2 …)").
/// </summary>
public sealed class TcpStream : IReliableStream
{
    private readonly TcpTransportConnection _connection;
    private readonly Queue<(byte[] Array, int Length)> _chunks = new();
    private readonly AsyncSignal _readable = new();
    private readonly AsyncSignal _writable = new();
    private int _chunkOffset;
    private long _unacknowledgedReads;
    private bool _finReceived;
    private bool _finSent;

    internal TcpStream(TcpTransportConnection connection, long id)
    {
        _connection = connection;
        Id = id;
    }

    public long Id { get; }
    internal long SendCredit { get; set; } = TcpFrameCodec.InitialStreamCredit;
    internal long ReceivedUnread { get; private set; }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        while (!data.IsEmpty)
        {
            int n;
            Task wait;
            lock (_connection.Gate)
            {
                _connection.ThrowIfCannotSend();
                if (_finSent) throw new InvalidOperationException("writes were completed on this stream");
                n = (int)Math.Min(Math.Min(data.Length, SendCredit), TcpFrameCodec.MaxPayload);
                SendCredit -= n;
                wait = _writable.WaitTask;
            }
            if (n == 0)
            {
                await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }
            await _connection.SendFrameAsync(TcpFrameCodec.Stream, Id, data[..n], cancellationToken).ConfigureAwait(false);
            data = data[n..];
        }
    }

    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty) return 0;
        while (true)
        {
            Task wait;
            long grant = 0;
            int n = 0;
            lock (_connection.Gate)
            {
                while (n < buffer.Length && _chunks.TryPeek(out var chunk))
                {
                    int take = Math.Min(buffer.Length - n, chunk.Length - _chunkOffset);
                    chunk.Array.AsSpan(_chunkOffset, take).CopyTo(buffer.Span[n..]);
                    n += take;
                    _chunkOffset += take;
                    if (_chunkOffset == chunk.Length)
                    {
                        _chunks.Dequeue();
                        _chunkOffset = 0;
                        ArrayPool<byte>.Shared.Return(chunk.Array);
                    }
                }
                ReceivedUnread -= n;
                _unacknowledgedReads += n;
                if (_unacknowledgedReads >= TcpFrameCodec.InitialStreamCredit / 2)
                {
                    grant = _unacknowledgedReads;
                    _unacknowledgedReads = 0;
                }
                if (n == 0 && (_finReceived || _connection.ReceivingEnded())) return 0;
                wait = _readable.WaitTask;
            }
            if (grant > 0) await _connection.SendWindowAsync(Id, grant, cancellationToken).ConfigureAwait(false);
            if (n > 0) return n;
            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void CompleteWrites()
    {
        lock (_connection.Gate)
        {
            if (_finSent) return;
            _connection.ThrowIfCannotSend();
            _finSent = true;
        }
        _connection.SendFrameInBackground(TcpFrameCodec.Fin, Id);
    }

    /// <summary>Called by the read loop under the lock. False when the peer overran its credit.</summary>
    internal bool OnData(ReadOnlySpan<byte> data)
    {
        ReceivedUnread += data.Length;
        if (ReceivedUnread > TcpFrameCodec.InitialStreamCredit) return false;
        var array = ArrayPool<byte>.Shared.Rent(data.Length);
        data.CopyTo(array);
        _chunks.Enqueue((array, data.Length));
        _readable.Set();
        return true;
    }

    internal void OnFin()
    {
        _finReceived = true;
        _readable.Set();
    }

    internal void OnWindow(long credit)
    {
        SendCredit += credit;
        _writable.Set();
    }

    internal void WakeAll()
    {
        _readable.Set();
        _writable.Set();
    }
}

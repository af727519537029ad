// One reliable, ordered stream of a UDP transport connection: the application-facing half plus its send/receive state.
namespace P2PChat.Core.Transport.Streams;

/// <summary>
/// Send side: Open → (CompleteWrites) FinQueued → FIN sent → FIN and all bytes acked. Lost ranges are re-sent from
/// <see cref="SendBuffer"/> until acked. Receive side: bytes land in <see cref="ReceiveBuffer"/> at their offset;
/// the final size is fixed by the first FIN; reads return 0 once everything up to it was read. A reader waiting in
/// <see cref="ReadAtLeastAsync"/> lends its buffer (the placement): in-order bytes go from the opened packet straight
/// into it (<see cref="StreamReceiveBuffer.WriteInto"/>), and it is woken once the minimum is there. A writer may fill
/// the send buffer in place instead (<see cref="GetWriteBufferAsync"/>, <see cref="CommitWrite"/>).
/// All state is guarded by the connection's lock.
/// </summary>
public sealed class TransportStream : IPlacingReadStream, IInPlaceWriteStream
{
    private readonly TransportConnection _connection;
    private readonly AsyncSignal _readable = new();
    private readonly AsyncSignal _writable = new();
    private readonly int _sendBufferLimit;

    internal TransportStream(TransportConnection connection, long id, long peerMaxStreamData, int receiveWindow, int sendBufferLimit)
    {
        _connection = connection;
        Id = id;
        PeerMaxStreamData = peerMaxStreamData;
        ReceiveWindow = receiveWindow;
        LocalMaxStreamData = FlowControlDefaults.InitialStreamWindow;
        _sendBufferLimit = sendBufferLimit;
    }

    public long Id { get; }

    // ---- send side ----
    internal StreamSendBuffer SendBuffer { get; } = new();
    internal RangeSet Acked { get; } = new();
    internal RangeSet Lost { get; } = new();
    /// <summary>Every offset below this was sent at least once.</summary>
    internal long SentOffset { get; set; }
    internal long PeerMaxStreamData { get; set; }
    internal bool FinWritten { get; private set; }
    internal bool FinNeedsSend { get; set; }
    internal bool FinAcked { get; set; }
    internal bool InSendQueue { get; set; }
    internal long WriteOffset => SendBuffer.End;

    /// <summary>True when every written byte (and the FIN, if written) was acknowledged.</summary>
    internal bool SendSettled => Acked.ContainsAll(0, WriteOffset) && (!FinWritten || FinAcked);

    internal bool HasRetransmission => !Lost.IsEmpty || (FinNeedsSend && FinWritten && SentOffset == WriteOffset && Lost.IsEmpty);

    internal bool HasNewData => SentOffset < WriteOffset && SentOffset < PeerMaxStreamData;

    // ---- receive side ----
    internal StreamReceiveBuffer ReceiveBuffer { get; } = new();
    internal int ReceiveWindow { get; }
    internal long LocalMaxStreamData { get; set; }
    internal long HighestReceived { get; set; }
    internal long FinalSize { get; set; } = -1;
    internal bool MaxStreamDataPending { get; set; }

    internal bool ReadToEnd => FinalSize >= 0 && ReceiveBuffer.ReadOffset == FinalSize;

    // The buffer lent by a reader waiting in ReadAtLeastAsync: the part still free, what was placed, what it waits for.
    private Memory<byte> _placement;
    private int _placed;
    private int _placementMinimum;

    /// <summary>Whether a reader waits with a buffer of its own (<see cref="ReadAtLeastAsync"/>).</summary>
    internal bool HasPlacement => _placementMinimum > 0;

    public int PlacedInPendingRead => Volatile.Read(ref _placed);

    /// <summary>Stores arriving stream data: into the waiting reader's buffer as far as it continues the read position,
    /// the rest into the receive buffer; returns the bytes that went to the reader (they count as read).</summary>
    internal int Receive(long offset, ReadOnlySpan<byte> data)
    {
        if (!HasPlacement)
        {
            ReceiveBuffer.Write(offset, data);
            return 0;
        }
        int n = ReceiveBuffer.WriteInto(offset, data, _placement.Span);
        _placement = _placement[n..];
        Volatile.Write(ref _placed, _placed + n);
        return n;
    }

    /// <summary>Whether a waiting reader has something to return now.</summary>
    internal bool ReaderHasWork => HasPlacement
        ? _placed >= _placementMinimum || _placement.IsEmpty || ReadToEnd
        : ReceiveBuffer.Readable > 0 || ReadToEnd;

    /// <summary>Ends the placement and returns how many bytes it received.</summary>
    private int TakePlacedLocked()
    {
        int placed = _placed;
        _placement = default;
        _placementMinimum = 0;
        Volatile.Write(ref _placed, 0);
        return placed;
    }

    /// <summary>Both directions are over: our FIN and bytes are acknowledged and the peer's were all read.</summary>
    internal bool Finished => FinWritten && SendSettled && ReadToEnd;

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task wait;
            lock (_connection.Gate)
            {
                int n = TryWriteLocked(data.Span);
                data = data[n..];
                if (data.IsEmpty) return;
                wait = _writable.WaitTask;
            }
            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty) return 0;
        while (true)
        {
            Task wait;
            lock (_connection.Gate)
            {
                int n = TryReadLocked(buffer.Span);
                if (n != 0) return Math.Max(n, 0);
                wait = _readable.WaitTask;
            }
            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask<Memory<byte>> GetWriteBufferAsync(int maxLength, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        while (true)
        {
            Task wait;
            lock (_connection.Gate)
            {
                long room = Math.Min(maxLength, WritableRoomLocked());
                if (room > 0) return SendBuffer.Lend((int)room);
                wait = _writable.WaitTask;
            }
            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void CommitWrite(int count)
    {
        lock (_connection.Gate)
        {
            WritableRoomLocked();
            SendBuffer.Advance(count);
            if (count > 0) SendAppendedLocked();
        }
    }

    public async ValueTask<int> ReadAtLeastAsync(Memory<byte> buffer, int minimum, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minimum, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minimum, buffer.Length);
        int done = 0;
        while (true)
        {
            Task wait;
            lock (_connection.Gate)
            {
                done += TakePlacedLocked();
                if (done < buffer.Length)
                {
                    int n = TryReadLocked(buffer.Span[done..]);
                    if (n < 0) return done;
                    done += n;
                }
                if (done >= minimum) return done;
                _placement = buffer[done..];
                _placementMinimum = minimum - done;
                wait = _readable.WaitTask;
            }
            try { await wait.WaitAsync(cancellationToken).ConfigureAwait(false); }
            catch (OperationCanceledException)
            {
                lock (_connection.Gate) TakePlacedLocked(); // nothing more goes into a buffer the caller takes back
                throw;
            }
        }
    }

    public void CompleteWrites()
    {
        lock (_connection.Gate)
        {
            _connection.ThrowIfCannotSend();
            if (FinWritten) return;
            FinWritten = true;
            FinNeedsSend = true;
            _connection.ScheduleStream(this);
            _connection.FlushLocked();
        }
    }

    /// <summary>Non-blocking write: copies what fits in the send buffer and returns how many bytes were taken.</summary>
    internal int TryWrite(ReadOnlySpan<byte> data)
    {
        lock (_connection.Gate) return TryWriteLocked(data);
    }

    /// <summary>Non-blocking read: bytes copied, 0 when nothing is there yet, −1 at the end of the stream.</summary>
    internal int TryRead(Span<byte> buffer)
    {
        lock (_connection.Gate) return TryReadLocked(buffer);
    }

    private int TryWriteLocked(ReadOnlySpan<byte> data)
    {
        int n = (int)Math.Min(data.Length, WritableRoomLocked());
        if (n == 0) return 0;
        SendBuffer.Append(data[..n]);
        SendAppendedLocked();
        return n;
    }

    /// <summary>Bytes the send buffer takes now (0 when full); throws when this stream or its connection cannot send.</summary>
    private long WritableRoomLocked()
    {
        _connection.ThrowIfCannotSend();
        if (FinWritten) throw new InvalidOperationException("writes were completed on this stream");
        return Math.Max(0, _sendBufferLimit - SendBuffer.Length);
    }

    /// <summary>New bytes are in the send buffer: the stream gets its turn and what may go now is sent.</summary>
    private void SendAppendedLocked()
    {
        _connection.ScheduleStream(this);
        _connection.FlushLocked();
    }

    private int TryReadLocked(Span<byte> buffer)
    {
        int n = ReceiveBuffer.Read(buffer);
        if (n > 0)
        {
            _connection.OnStreamConsumed(this, n);
            return n;
        }
        if (ReadToEnd)
        {
            _connection.RetireIfFinished(this);
            return -1;
        }
        if (_connection.ReceivingEnded()) return -1;
        return 0;
    }

    internal void WakeReaders() => _readable.Set();
    internal void WakeWriters() => _writable.Set();
}

// A connection of the UDP transport: public API, lifecycle (see ConnectionState) and shared state.
using System.Net;
using P2PChat.Core.Transport.Protection;
using P2PChat.Core.Transport.Recovery;
using P2PChat.Core.Transport.Streams;
using P2PChat.Core.Transport.Wire;

namespace P2PChat.Core.Transport;

/// <summary>
/// One peer, many streams, plus unreliable datagrams. All state is guarded by the endpoint's lock
/// (<see cref="Gate"/>); the partial files split the work: receiving (<c>.Receive.cs</c>), building packets
/// (<c>.Send.cs</c>), acknowledgements, loss recovery and timers (<c>.Recovery.cs</c>), closing (<c>.Close.cs</c>).
/// </summary>
public sealed partial class TransportConnection : IReliableConnection
{
    private readonly UdpTransportEndpoint _endpoint;
    private readonly TransportOptions _options;
    private IPacketProtector _protector;

    private readonly Dictionary<long, TransportStream> _streams = [];
    private readonly RangeSet _peerStreamsOpened = new();
    private readonly Queue<TransportStream> _incomingStreams = new();
    private readonly AsyncSignal _streamArrived = new();
    private readonly Queue<TransportStream> _sendQueue = new();
    private long _nextLocalStreamId;

    private readonly Queue<byte[]> _outgoingDatagrams = new();
    private readonly Queue<byte[]> _incomingDatagrams = new();
    private readonly AsyncSignal _datagramArrived = new();

    // Connection-level flow control (sums of the highest offsets over all streams).
    private long _peerMaxData = FlowControlDefaults.InitialConnectionWindow;
    private long _sentData;
    private long _localMaxData = FlowControlDefaults.InitialConnectionWindow;
    private long _receivedData;
    private long _consumedData;
    private bool _maxDataPending;
    private readonly List<TransportStream> _streamWindowUpdates = [];

    private readonly TaskCompletionSource _established = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal TransportConnection(UdpTransportEndpoint endpoint, TransportOptions options, ConnectionRole role, EndPoint remote, ulong localId, long nowMicros)
    {
        _endpoint = endpoint;
        _options = options;
        Role = role;
        RemoteEndPoint = remote;
        LocalId = localId;
        _protector = options.ProtectorFactory(role, remote);
        _nextLocalStreamId = role == ConnectionRole.Client ? 0 : 1;
        _rtt = new RttEstimator(MonotonicClock.Micros(options.MinRetransmissionTimeout), MonotonicClock.Micros(options.MaxRetransmissionTimeout),
            MonotonicClock.Micros(options.InitialRetransmissionTimeout));
        _cc = options.CongestionControl == CongestionControl.NewReno
            ? new NewRenoCongestionController(options.MaxPacketSize)
            : new CubicCongestionController(options.MaxPacketSize);
        _pacer = new Pacer(options.MaxPacketSize);
        _pmtu = NewPathMtuDiscovery(options, remote);
        Statistics.PathMtu = _pmtu.CurrentSize;
        InitLiveness(options);
        _lastReceivedMicros = _lastSentMicros = nowMicros;
        State = role == ConnectionRole.Client ? ConnectionState.Handshaking : ConnectionState.Established;
        if (State == ConnectionState.Established) OnEstablished();
    }

    internal object Gate => _endpoint.Gate;
    public ConnectionRole Role { get; }
    public EndPoint RemoteEndPoint { get; }
    public ConnectionState State { get; private set; }
    /// <summary>Why the connection ended; <see cref="TransportError.None"/> while open or after a graceful close.</summary>
    public TransportError Error { get; private set; }
    internal ulong LocalId { get; }
    /// <summary>Set by the endpoint while this connection waits to flush at the end of a receive burst.</summary>
    internal bool InReceiveBatch { get; set; }
    internal ulong RemoteId { get; private set; }

    /// <summary>Completes when the handshake finished (at once for the accepting side).</summary>
    public Task Established => _established.Task;

    public int MaxDatagramPayload => _options.MaxPacketSize - DataPacketLayout.HeaderLength - _protector.Overhead
        - DataPacketLayout.PacketNumberLength - MaxPiggybackedAckSize - 4;

    public IReliableStream OpenStream()
    {
        lock (Gate) return OpenStreamLocked();
    }

    /// <summary>Opens a stream and returns the concrete type (for single-threaded drivers and tests).</summary>
    internal TransportStream OpenTransportStream()
    {
        lock (Gate) return OpenStreamLocked();
    }

    internal TransportStream OpenStreamLocked()
    {
        ThrowIfCannotSend();
        var stream = NewStream(_nextLocalStreamId);
        _nextLocalStreamId += 2;
        return stream;
    }

    public async ValueTask<IReliableStream> AcceptStreamAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task wait;
            lock (Gate)
            {
                if (TryAcceptStreamLocked() is { } stream) return stream;
                if (State is not (ConnectionState.Handshaking or ConnectionState.Established))
                    throw new TransportException(Error == TransportError.None ? TransportError.ClosedLocally : Error, "the connection is closed");
                wait = _streamArrived.WaitTask;
            }
            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Non-blocking accept for single-threaded drivers (tests, simulations).</summary>
    internal TransportStream? TryAcceptStream()
    {
        lock (Gate) return TryAcceptStreamLocked();
    }

    private TransportStream? TryAcceptStreamLocked() => _incomingStreams.TryDequeue(out var s) ? s : null;

    public bool SendDatagram(ReadOnlySpan<byte> datagram)
    {
        lock (Gate)
        {
            if (State != ConnectionState.Established || datagram.Length > MaxDatagramPayload
                || _outgoingDatagrams.Count >= _options.DatagramQueueLimit) return false;
            _outgoingDatagrams.Enqueue(datagram.ToArray());
            FlushLocked();
            return true;
        }
    }

    /// <summary>Non-blocking receive for single-threaded drivers (tests, simulations).</summary>
    internal byte[]? TryReceiveDatagram()
    {
        lock (Gate) return _incomingDatagrams.TryDequeue(out var datagram) ? datagram : null;
    }

    public async ValueTask<ReadOnlyMemory<byte>> ReceiveDatagramAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task wait;
            lock (Gate)
            {
                if (_incomingDatagrams.TryDequeue(out var datagram)) return datagram;
                if (State is not (ConnectionState.Handshaking or ConnectionState.Established))
                    throw new TransportException(Error == TransportError.None ? TransportError.ClosedLocally : Error, "the connection is closed");
                wait = _datagramArrived.WaitTask;
            }
            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (State is ConnectionState.Established)
        {
            using var timeout = new CancellationTokenSource(_options.IdleTimeout);
            try { await CloseAsync(timeout.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) { Abort(); }
            catch (TransportException) { }
        }
        else Abort();
    }

    private TransportStream NewStream(long id)
    {
        var stream = new TransportStream(this, id, FlowControlDefaults.InitialStreamWindow, _options.StreamReceiveWindow, _options.StreamSendBuffer);
        _streams.Add(id, stream);
        MaybeRaiseStreamWindow(stream);
        return stream;
    }

    private void OnEstablished()
    {
        MaybeRaiseConnectionWindow();
        _established.TrySetResult();
    }

    /// <summary>Puts a stream with something to send at the back of the round-robin send queue.</summary>
    internal void ScheduleStream(TransportStream stream)
    {
        if (stream.InSendQueue) return;
        stream.InSendQueue = true;
        _sendQueue.Enqueue(stream);
    }

    internal void ThrowIfCannotSend()
    {
        if (State is ConnectionState.Handshaking or ConnectionState.Established && !_closeRequested) return;
        throw new TransportException(Error == TransportError.None ? TransportError.ClosedLocally : Error, "the connection is closing or closed");
    }

    /// <summary>For readers with nothing buffered: true after a graceful close (end of stream), throws after an abnormal one.</summary>
    internal bool ReceivingEnded()
    {
        if (State is ConnectionState.Handshaking or ConnectionState.Established) return false;
        if (Error == TransportError.None) return true;
        throw new TransportException(Error, $"the connection ended: {Error}");
    }

    /// <summary>Even stream ids belong to the connecting side, odd ones to the accepting side.</summary>
    private bool IsPeerOpened(long id) => (id & 1) == (Role == ConnectionRole.Client ? 1 : 0);

    /// <summary>Streams the connection still holds state for (finished ones are retired).</summary>
    internal int StreamCount
    {
        get { lock (Gate) return _streams.Count; }
    }

    /// <summary>
    /// Frees a stream whose both directions are over. Late frames naming it are then ignored: its id is below the next
    /// local id, or recorded in the set of peer-opened ids.
    /// </summary>
    internal void RetireIfFinished(TransportStream stream)
    {
        if (!stream.Finished || !_streams.Remove(stream.Id)) return;
        if (IsPeerOpened(stream.Id)) _openPeerStreams--;
        stream.SendBuffer.Clear();
        stream.ReceiveBuffer.Release();
    }

    /// <summary>The application read <paramref name="count"/> bytes: credit the peer again when half a window was used
    /// (sent at once, or with the next flush when <paramref name="flush"/> is false).</summary>
    internal void OnStreamConsumed(TransportStream stream, int count, bool flush = true)
    {
        _consumedData += count;
        bool raised = MaybeRaiseStreamWindow(stream) | MaybeRaiseConnectionWindow();
        if (raised && flush) FlushLocked();
    }

    private bool MaybeRaiseStreamWindow(TransportStream stream)
    {
        long readOffset = stream.ReceiveBuffer.ReadOffset;
        if (stream.FinalSize >= 0 || stream.LocalMaxStreamData - readOffset >= stream.ReceiveWindow / 2) return false;
        stream.LocalMaxStreamData = readOffset + stream.ReceiveWindow;
        if (!stream.MaxStreamDataPending)
        {
            stream.MaxStreamDataPending = true;
            _streamWindowUpdates.Add(stream);
        }
        return true;
    }

    private bool MaybeRaiseConnectionWindow()
    {
        if (_localMaxData - _consumedData >= _options.ConnectionReceiveWindow / 2) return false;
        _localMaxData = _consumedData + _options.ConnectionReceiveWindow;
        _maxDataPending = true;
        return true;
    }

    /// <summary>Sends whatever the windows allow now, then re-arms the endpoint timer for this connection.</summary>
    internal void FlushLocked()
    {
        if (State == ConnectionState.Closed) return;
        long now = _endpoint.Clock.NowMicros;
        _pacingWakeMicros = 0;
        var buffer = _endpoint.PacketBuffer;
        TrySendPathMtuProbe(buffer, now);
        for (int i = 0; i < MaxPacketsPerFlush; i++)
        {
            int length = TryBuildPacket(buffer, now);
            if (length == 0) break;
            _endpoint.Transmit(buffer.AsSpan(0, length), RemoteEndPoint);
            if (i == MaxPacketsPerFlush - 1) _pacingWakeMicros = now;
        }
        _endpoint.Flushed();
        _endpoint.ArmTimer(NextDeadline());
    }

    private const int MaxPacketsPerFlush = 256;

    public override string ToString() => $"{Role} {LocalId:x16}→{RemoteId:x16} {RemoteEndPoint} {State}";
}

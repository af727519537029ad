// The socket one contact link's transport runs over: one virtual address, carried by the relay or by a direct UDP path.
using System.Net;
using P2PChat.Core.Links.Paths;
using P2PChat.Core.Transport.Sockets;

namespace P2PChat.Peer.Links;

/// <summary>
/// The transport sees one fixed remote address (<see cref="Virtual"/>) for the whole life of the link; underneath,
/// every datagram goes either through the server's relay or straight to the nominated direct endpoint, and datagrams
/// arriving on <b>either</b> path are handed to the transport as coming from <see cref="Virtual"/>. Switching the path
/// is therefore invisible to the transport's connection: nothing is re-handshaken, and the streams' own acknowledgements
/// and retransmissions carry every message across the switch exactly once (a packet lost in the switch is resent; a
/// late relayed duplicate is dropped by the transport's packet numbers). Thread-safe.
/// While direct, the path's <see cref="PathMonitor"/> hears of the transport's traffic both ways (at most once per
/// <see cref="MonitorReportGap"/> each way, so a busy link does not re-arm its timer per packet): packets out that
/// nothing answers make the path suspect and then dead; packets in keep it alive and spare keepalives.
/// </summary>
public sealed class LinkPathSocket : IDatagramSocket
{
    private readonly Action<ReadOnlyMemory<byte>> _relay;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private IDatagramReceiver? _receiver;
    private IDatagramSocket? _directSocket;
    private EndPoint? _directRemote;
    private long _lastDirectReceive;
    private PathMonitor? _monitor;
    private long _lastOutReport, _lastInReport;
    private bool _disposed;

    /// <summary>The longest a send or a receive on the direct path goes unreported to its monitor.</summary>
    public static readonly TimeSpan MonitorReportGap = TimeSpan.FromMilliseconds(20);

    /// <param name="relay">sends one datagram through the server's relay (never blocks; may drop).</param>
    public LinkPathSocket(EndPoint @virtual, Action<ReadOnlyMemory<byte>> relay, TimeProvider time)
    {
        Virtual = @virtual;
        _relay = relay;
        _time = time;
    }

    /// <summary>The address the transport connects to; it never appears on a wire.</summary>
    public EndPoint Virtual { get; }
    public EndPoint LocalEndPoint => Virtual;

    /// <summary>The direct endpoint in use, or null while relayed.</summary>
    public EndPoint? DirectRemote { get { lock (_gate) return _directRemote; } }

    /// <summary>When a datagram last arrived on the direct path (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    public long LastDirectReceive { get { lock (_gate) return _lastDirectReceive; } }

    public void Start(IDatagramReceiver receiver) => _receiver = receiver;

    public void Send(ReadOnlySpan<byte> datagram, EndPoint remote)
    {
        IDatagramSocket? direct;
        EndPoint? to;
        PathMonitor? monitor = null;
        lock (_gate)
        {
            if (_disposed) return;
            (direct, to) = (_directSocket, _directRemote);
            if (direct is not null && _monitor is not null && Due(ref _lastOutReport)) monitor = _monitor;
        }
        if (direct is not null && to is not null) direct.Send(datagram, to);
        else _relay(datagram.ToArray());
        monitor?.OnOutbound();
    }

    /// <summary>From now on, sends go straight to <paramref name="remote"/> through <paramref name="socket"/>;
    /// <paramref name="monitor"/> (the path's) hears of the traffic.</summary>
    public void UseDirect(IDatagramSocket socket, EndPoint remote, PathMonitor? monitor = null)
    {
        lock (_gate)
        {
            (_directSocket, _directRemote, _monitor) = (socket, remote, monitor);
            _lastDirectReceive = _time.GetTimestamp();
            _lastOutReport = _lastInReport = long.MinValue / 2;
        }
    }

    /// <summary>From now on, sends go through the relay (the direct path died or was never found).</summary>
    public void UseRelay()
    {
        lock (_gate) (_directSocket, _directRemote, _monitor) = (null, null, null);
    }

    /// <summary>A datagram that came on the direct path (from the shared socket's router).</summary>
    public void OnDirect(Span<byte> datagram)
    {
        PathMonitor? monitor = null;
        lock (_gate)
        {
            _lastDirectReceive = _time.GetTimestamp();
            if (_monitor is not null && Due(ref _lastInReport)) monitor = _monitor;
        }
        monitor?.OnInbound();
        Deliver(datagram);
    }

    /// <summary>Under the lock: true (and the mark moved) when the last report this way is older than the gap.</summary>
    private bool Due(ref long lastReport)
    {
        long now = _time.GetTimestamp();
        if (now - lastReport < MonitorReportGap.TotalSeconds * _time.TimestampFrequency) return false;
        lastReport = now;
        return true;
    }

    /// <summary>A datagram that came through the relay.</summary>
    public void OnRelayed(Span<byte> datagram) => Deliver(datagram);

    private void Deliver(Span<byte> datagram)
    {
        if (_receiver is not { } receiver) return;
        receiver.OnDatagram(datagram, Virtual);
        receiver.OnBatchEnd();
    }

    public void Dispose()
    {
        lock (_gate) _disposed = true;
    }
}

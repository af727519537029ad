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
/// <para><b>Racing</b> (time to link): while relayed, the checks may report pairs that already carry packets to the peer
/// before any is nominated (<see cref="Race"/>). Each datagram then goes through the relay <i>and</i> straight to each
/// such endpoint (at most <see cref="MaxRaces"/>), and the datagrams sent through the relay in the last
/// <see cref="ReplayWindow"/> (at most <see cref="ReplayCount"/>) are sent again on a newly raced endpoint at once, so
/// the handshake started on the relay at the introduction carries on at the direct path's pace. The transport drops
/// the copy that arrives second (packet numbers; a repeated Initial gets the same Accept, a repeated Retry or Accept is
/// ignored). <see cref="UseDirect"/> or <see cref="UseRelay"/> ends the race.</para>
/// <para><b>Switching</b> (relay to direct): the two sides adopt a nominated path one after the other (the controlled
/// side when the nomination arrives, the controlling side when its answer comes back; a loaded side may lag). Until
/// the first datagram arrives on the direct path (<see cref="OnDirect"/>: the peer sends, so it also listens, there),
/// every datagram sent direct is also sent through the relay (<see cref="Mirroring"/>; those up to
/// <see cref="PeerLinks.RelayPacketSize"/>: larger ones are path MTU probes of the new path). A peer still relayed
/// thus keeps hearing us: before, it heard nothing until it adopted the path itself, and a peer that had just asked
/// its old link for a sign of life (a re-introduction) ended the link (lab scenario 9). The transport drops the copy
/// that arrives second. Bounded: the peer's first direct datagram, or the path monitor's verdict (dead after 3.5 s:
/// back to the relay), ends it.</para>
/// <para><b>Speculating</b> (the connecting side, at the introduction): before any pair is known to work, the first
/// <see cref="SpeculativeBudget"/> datagrams (the transport's Initial) also go once to each of a few of the peer's
/// candidates (<see cref="Speculate"/>, at most <see cref="MaxRaces"/>), right behind our first checks on them. Where
/// the peer's first checks left at about the same time, its NAT already lets them in, and its check on the pair (sent
/// before, on the same path) has made it take our packets: the Initial then arrives after half a round trip instead
/// of the relay's full one (two legs through the server). Nothing from those endpoints is taken on speculation: only a
/// checked pair (<see cref="Race"/>) or the nominated one carries the peer's packets to us. Bounded: at most
/// <see cref="SpeculativeBudget"/> × <see cref="MaxRaces"/> datagrams per link, the first real race or path ends it.</para>
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
    private readonly List<(IDatagramSocket Socket, EndPoint Remote)> _races = [];
    private readonly Queue<(long At, byte[] Datagram)> _recent = new();
    private readonly List<(IDatagramSocket Socket, EndPoint Remote)> _speculative = [];
    private int _speculativeLeft;
    private bool _mirroring;

    /// <summary>Datagrams sent on speculation to each candidate, at most (a connecting side's first flight is one Initial).</summary>
    public const int SpeculativeBudget = 2;

    /// <summary>Endpoints raced at once, at most (the checks report at most 4 reachable pairs per introduction).</summary>
    public const int MaxRaces = 4;
    /// <summary>Relayed datagrams sent again on a newly raced endpoint, at most (a handshake flight is 1 or 2 packets).</summary>
    public const int ReplayCount = 8;
    /// <summary>How old a relayed datagram may be and still be sent again on a newly raced endpoint.</summary>
    public static readonly TimeSpan ReplayWindow = TimeSpan.FromSeconds(2);

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
        (IDatagramSocket Socket, EndPoint Remote)[]? races = null;
        (IDatagramSocket Socket, EndPoint Remote)[]? speculative = null;
        byte[]? relayed = null;
        bool mirror;
        lock (_gate)
        {
            if (_disposed) return;
            (direct, to) = (_directSocket, _directRemote);
            mirror = _mirroring && datagram.Length <= PeerLinks.RelayPacketSize;
            if (direct is not null && _monitor is not null && Due(ref _lastOutReport)) monitor = _monitor;
            if (direct is null)
            {
                relayed = datagram.ToArray();
                Remember(relayed);
                if (_races.Count > 0) races = [.. _races];
                else if (_speculativeLeft > 0 && _speculative.Count > 0)
                {
                    _speculativeLeft--;
                    speculative = [.. _speculative];
                }
            }
        }
        if (direct is not null && to is not null)
        {
            direct.Send(datagram, to);
            if (mirror) _relay(datagram.ToArray());
        }
        else
        {
            _relay(relayed!);
            if (races is not null)
                foreach (var (socket, raced) in races) SendQuietly(socket, datagram, raced);
            if (speculative is not null)
                foreach (var (socket, guessed) in speculative) SendQuietly(socket, datagram, guessed);
        }
        monitor?.OnOutbound();
    }

    /// <summary>Under the lock: keeps a relayed datagram for <see cref="Race"/>'s replay.</summary>
    private void Remember(byte[] datagram)
    {
        long now = _time.GetTimestamp();
        _recent.Enqueue((now, datagram));
        while (_recent.Count > ReplayCount || (_recent.Count > 0 && _time.GetElapsedTime(_recent.Peek().At, now) > ReplayWindow)) _recent.Dequeue();
    }

    /// <summary>
    /// While relayed: also send every datagram to <paramref name="remote"/> through <paramref name="socket"/> (a checked
    /// pair that reaches the peer), starting with the recent relayed ones. Ignored when direct, already raced, or at
    /// <see cref="MaxRaces"/>. Returns whether the endpoint was added.
    /// </summary>
    public bool Race(IDatagramSocket socket, EndPoint remote)
    {
        byte[][] replay;
        lock (_gate)
        {
            if (_disposed || _directSocket is not null || _races.Count >= MaxRaces || _races.Any(r => r.Socket == socket && r.Remote.Equals(remote))) return false;
            _races.Add((socket, remote));
            _speculativeLeft = 0;   // a checked pair supersedes the guesses
            long now = _time.GetTimestamp();
            replay = [.. _recent.Where(r => _time.GetElapsedTime(r.At, now) <= ReplayWindow).Select(r => r.Datagram)];
        }
        foreach (var datagram in replay) SendQuietly(socket, datagram, remote);
        return true;
    }

    /// <summary>
    /// While relayed and before any race: the relayed datagrams of the last <see cref="ReplayWindow"/> and the next
    /// ones, <see cref="SpeculativeBudget"/> in all, also go to each of <paramref name="remotes"/> (the first
    /// <see cref="MaxRaces"/>) through <paramref name="socket"/>. Ignored once direct, racing or speculating.
    /// </summary>
    public void Speculate(IDatagramSocket socket, IEnumerable<EndPoint> remotes)
    {
        byte[][] replay;
        (IDatagramSocket, EndPoint)[] targets;
        lock (_gate)
        {
            if (_disposed || _directSocket is not null || _races.Count > 0 || _speculative.Count > 0) return;
            _speculative.AddRange(remotes.Distinct().Take(MaxRaces).Select(r => (socket, r)));
            long now = _time.GetTimestamp();
            replay = [.. _recent.Where(r => _time.GetElapsedTime(r.At, now) <= ReplayWindow).Take(SpeculativeBudget).Select(r => r.Datagram)];
            _speculativeLeft = SpeculativeBudget - replay.Length;
            targets = [.. _speculative];
        }
        foreach (var datagram in replay)
            foreach (var (s, remote) in targets) SendQuietly(s, datagram, remote);
    }

    /// <summary>Whether datagrams sent direct are also relayed (just switched to direct, nothing heard there yet).</summary>
    public bool Mirroring { get { lock (_gate) return _mirroring; } }

    /// <summary>Endpoints being raced now (tests, logs).</summary>
    public int Races { get { lock (_gate) return _races.Count; } }

    /// <summary>Stops racing (the checks ended without a path); sends go through the relay only.</summary>
    public void EndRace()
    {
        lock (_gate)
        {
            _races.Clear();
            _speculativeLeft = 0;
        }
    }

    /// <summary>A raced copy is a bonus: a socket that fails (closed, unreachable) must not stop the relayed original.</summary>
    private static void SendQuietly(IDatagramSocket socket, ReadOnlySpan<byte> datagram, EndPoint remote)
    {
        try { socket.Send(datagram, remote); }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or ObjectDisposedException) { }
    }

    /// <summary>From now on, sends go straight to <paramref name="remote"/> through <paramref name="socket"/>;
    /// <paramref name="monitor"/> (the path's) hears of the traffic.</summary>
    public void UseDirect(IDatagramSocket socket, EndPoint remote, PathMonitor? monitor = null)
    {
        lock (_gate)
        {
            (_directSocket, _directRemote, _monitor) = (socket, remote, monitor);
            _mirroring = true;   // until the peer is heard on the new path
            _races.Clear();
            _speculativeLeft = 0;
            _recent.Clear();
            _lastDirectReceive = _time.GetTimestamp();
            _lastOutReport = _lastInReport = long.MinValue / 2;
        }
    }

    /// <summary>From now on, sends go through the relay (the direct path died or was never found).</summary>
    public void UseRelay()
    {
        lock (_gate)
        {
            (_directSocket, _directRemote, _monitor) = (null, null, null);
            _mirroring = false;
            _races.Clear();
        }
    }

    /// <summary>A datagram that came on the direct path (from the shared socket's router).</summary>
    public void OnDirect(Span<byte> datagram)
    {
        PathMonitor? monitor = null;
        lock (_gate)
        {
            _lastDirectReceive = _time.GetTimestamp();
            if (_directSocket is not null) _mirroring = false;   // the peer sends on the path, so it listens there too
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

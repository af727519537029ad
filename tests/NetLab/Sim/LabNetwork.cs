// The in-memory Internet of the NAT simulator: public hosts, NATs with hosts behind them, deliveries on a clock.
using System.Net;
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Sockets;

namespace P2PChat.NetLab.Sim;

/// <summary>
/// Every datagram is routed when sent (NAT translation, filtering, hairpinning, fake-router answers happen then)
/// and delivered <see cref="Latency"/> later by a timer of the injected TimeProvider, never inside Send. With a
/// manual clock a scenario is deterministic: advancing the clock delivers datagrams and fires protocol timers in
/// order on the calling thread. Addresses are plain IPAddress values the test chooses; nothing touches the OS. A host
/// behind a NAT is reachable at its private address only from its own LAN (as on the internet: a LAN candidate of
/// another site leads nowhere).
/// </summary>
public sealed class LabNetwork
{
    private readonly object _gate = new();
    private readonly Dictionary<IPEndPoint, LabSocket> _sockets = [];
    private readonly List<LabNat> _nats = [];
    private readonly PriorityQueue<(byte[] Data, IPEndPoint From, IPEndPoint To), (long Due, long Seq)> _queue = new();
    private readonly ITimer _timer;
    private long _seq;

    public LabNetwork(TimeProvider time, TimeSpan? latency = null, int seed = 1)
    {
        Time = time;
        Latency = latency ?? TimeSpan.FromMilliseconds(10);
        Random = new Random(seed);
        _timer = time.CreateTimer(_ => DeliverDue(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public TimeProvider Time { get; }
    public TimeSpan Latency { get; }
    internal Random Random { get; }

    /// <summary>Sees every datagram on the public side (after NAT translation): a wiretap for spoofing tests.</summary>
    public Action<byte[], IPEndPoint, IPEndPoint>? Tap { get; set; }

    /// <summary>Drops every datagram (data, from, to) for which it returns true: a path that died, a partition.</summary>
    public Func<byte[], IPEndPoint, IPEndPoint, bool>? Cut { get; set; }

    /// <summary>Sockets bound now (for checks that a component closed what it opened).</summary>
    public int BoundSockets { get { lock (_gate) return _sockets.Count; } }

    /// <summary>Datagrams dropped (no route, no mapping, filtered, expired), with the reason, for assertions.</summary>
    public List<string> Drops { get; } = [];

    public LabNat AddNat(IPAddress publicAddress, IPAddress gatewayAddress, NatBehaviour behaviour)
    {
        var nat = new LabNat(this, publicAddress, gatewayAddress, behaviour);
        lock (_gate) _nats.Add(nat);
        return nat;
    }

    /// <summary>A socket on a public host (no NAT) or, with <paramref name="behind"/>, on a host in that NAT's LAN.</summary>
    public LabSocket Bind(IPEndPoint local, LabNat? behind = null)
    {
        lock (_gate)
        {
            var socket = new LabSocket(this, local, behind);
            _sockets.Add(local, socket);
            behind?.AddHost(local.Address);
            return socket;
        }
    }

    internal void Unbind(LabSocket socket)
    {
        lock (_gate) _sockets.Remove(socket.Local);
    }

    internal void Send(byte[] data, LabSocket from, IPEndPoint to)
    {
        lock (_gate) RouteLocked(data, from.Local, from.Nat, to);
    }

    /// <summary>Sends as if from anywhere (spoofing tests): no NAT on the sender's side.</summary>
    public void Inject(byte[] data, IPEndPoint from, IPEndPoint to)
    {
        lock (_gate) RouteLocked(data, from, null, to);
    }

    private void RouteLocked(byte[] data, IPEndPoint from, LabNat? senderNat, IPEndPoint to)
    {
        if (Cut?.Invoke(data, from, to) == true)
        {
            Drops.Add($"cut: {from} -> {to}");
            return;
        }
        long now = Time.GetTimestamp();
        if (senderNat is { } nat)
        {
            if (to.Address.Equals(nat.GatewayAddress) || to.Address.Equals(LabNat.SsdpGroup))
            {
                foreach (var (reply, replyFrom) in nat.Router?.Handle(data, from, to) ?? [])
                    EnqueueLocked(reply, replyFrom, from, now);
                return;
            }
            if (nat.HasHost(to.Address))
            {
                EnqueueLocked(data, from, to, now);
                return;
            }
            var outside = nat.Outbound(from, to);
            if (to.Address.Equals(nat.PublicAddress))
            {
                if (!nat.Behaviour.Hairpinning) { Drops.Add($"hairpin refused at {nat.PublicAddress}: {from} -> {to}"); return; }
            }
            from = outside;
        }
        if (_nats.Any(n => n != senderNat && n.HasHost(to.Address)))
        {
            Drops.Add($"private address {to} is not routable from {from}");
            return;
        }
        Tap?.Invoke(data, from, to);
        var target = _nats.FirstOrDefault(n => n.PublicAddress.Equals(to.Address));
        if (target is not null)
        {
            if (target.Inbound(from, to.Port) is not { } inside) return;
            EnqueueLocked(data, from, inside, now);
            return;
        }
        EnqueueLocked(data, from, to, now);
    }

    private void EnqueueLocked(byte[] data, IPEndPoint from, IPEndPoint to, long now)
    {
        long due = now + (long)(Latency.TotalSeconds * Time.TimestampFrequency);
        bool first = !_queue.TryPeek(out _, out var head) || due < head.Due;
        _queue.Enqueue((data, from, to), (due, _seq++));
        if (first) _timer.Change(Latency, Timeout.InfiniteTimeSpan);
    }

    private void DeliverDue()
    {
        while (true)
        {
            (byte[] Data, IPEndPoint From, IPEndPoint To) item;
            LabSocket? socket;
            lock (_gate)
            {
                long now = Time.GetTimestamp();
                if (!_queue.TryPeek(out _, out var head)) return;
                if (head.Due > now)
                {
                    _timer.Change(TimeSpan.FromSeconds((head.Due - now) / (double)Time.TimestampFrequency), Timeout.InfiniteTimeSpan);
                    return;
                }
                item = _queue.Dequeue();
                if (!_sockets.TryGetValue(item.To, out socket)) Drops.Add($"no socket at {item.To} (from {item.From})");
            }
            socket?.Deliver(item.Data, item.From);
        }
    }
}

/// <summary>A socket of the simulator, usable wherever Core wants an <see cref="IDatagramSocket"/>.</summary>
public sealed class LabSocket : IDatagramSocket
{
    private readonly LabNetwork _network;
    private IDatagramReceiver? _receiver;

    internal LabSocket(LabNetwork network, IPEndPoint local, LabNat? nat)
    {
        _network = network;
        Local = local;
        Nat = nat;
    }

    public IPEndPoint Local { get; }
    public LabNat? Nat { get; }
    public EndPoint LocalEndPoint => Local;

    public void Start(IDatagramReceiver receiver) => _receiver = receiver;

    public void Send(ReadOnlySpan<byte> datagram, EndPoint remote) => _network.Send(datagram.ToArray(), this, (IPEndPoint)remote);

    internal void Deliver(byte[] data, IPEndPoint from)
    {
        if (_receiver is not { } receiver) return;
        receiver.OnDatagram(data, from);
        receiver.OnBatchEnd();
    }

    public void Dispose()
    {
        _receiver = null;
        _network.Unbind(this);
    }
}

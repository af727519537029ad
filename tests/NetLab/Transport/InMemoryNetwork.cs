// A deterministic in-memory datagram network driven by a TimeProvider and a seeded Random, for tests and simulations.
using System.Net;
using P2PChat.Core.Transport.Sockets;

namespace P2PChat.NetLab.Transport;

/// <summary>
/// Sockets created here exchange datagrams through one delivery queue ordered by due time. Every datagram is
/// subjected to <see cref="Conditions"/> using a <see cref="Random"/> with a fixed seed, so with a manual
/// TimeProvider a run is reproducible. Deliveries happen on the TimeProvider's timer callback, never inside Send.
/// </summary>
public sealed class InMemoryNetwork
{
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly object _gate = new();
    private readonly Dictionary<EndPoint, InMemoryDatagramSocket> _sockets = [];
    private readonly Dictionary<EndPoint, long> _bottleneckFreeAt = [];
    private readonly Dictionary<(EndPoint, EndPoint), long> _lastDue = [];
    private readonly PriorityQueue<Delivery, (long Due, long Sequence)> _queue = new();
    private readonly ITimer _timer;
    private long _sequence;
    private long _armedFor = long.MaxValue;

    public InMemoryNetwork(TimeProvider time, LinkConditions conditions, int seed)
    {
        _time = time;
        Conditions = conditions;
        _random = new Random(seed);
        _timer = time.CreateTimer(_ => DeliverDue(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public LinkConditions Conditions { get; set; }
    public long Sent { get; private set; }
    public long Delivered { get; private set; }
    public long Dropped { get; private set; }
    public long DroppedAtBottleneck { get; private set; }
    /// <summary>Datagrams larger than <see cref="LinkConditions.MaxDatagramSize"/>, dropped silently.</summary>
    public long DroppedOversize { get; private set; }

    public InMemoryDatagramSocket CreateSocket(EndPoint address)
    {
        lock (_gate)
        {
            var socket = new InMemoryDatagramSocket(this, address);
            _sockets.Add(address, socket);
            return socket;
        }
    }

    /// <summary>Puts a datagram on the wire as if <paramref name="from"/> had sent it (for spoofing and flood tests).</summary>
    public void Inject(ReadOnlySpan<byte> datagram, EndPoint from, EndPoint to) => Send(datagram, from, to);

    internal void Remove(EndPoint address)
    {
        lock (_gate) _sockets.Remove(address);
    }

    internal void Send(ReadOnlySpan<byte> datagram, EndPoint from, EndPoint to)
    {
        lock (_gate)
        {
            Sent++;
            var c = Conditions;
            if (c.MaxDatagramSize > 0 && datagram.Length > c.MaxDatagramSize) { DroppedOversize++; return; }
            if (_random.NextDouble() < c.Loss) { Dropped++; return; }
            int copies = _random.NextDouble() < c.Duplicate ? 2 : 1;
            long now = _time.GetTimestamp();
            for (int i = 0; i < copies; i++)
            {
                var data = datagram.ToArray();
                if (_random.NextDouble() < c.Corrupt) data[_random.Next(data.Length)] ^= (byte)(1 + _random.Next(255));
                long delay = Ticks(c.Delay) + (long)(_random.NextDouble() * Ticks(c.Jitter));
                long due = now + delay;
                // Jitter alone keeps a path's order (a FIFO queue); only Reorder lets a datagram be overtaken.
                due = Math.Max(due, _lastDue.GetValueOrDefault((from, to)));
                _lastDue[(from, to)] = due;
                if (_random.NextDouble() < c.Reorder) due += Ticks(c.ReorderDelay);
                if (c.BytesPerSecond > 0 && !ThroughBottleneck(to, data.Length, now, ref due)) continue;
                _queue.Enqueue(new Delivery(data, from, to), (due, _sequence++));
            }
            ArmLocked();
        }
    }

    /// <summary>Serialises datagrams towards one destination at the bottleneck rate; drop-tail beyond the queue limit.</summary>
    private bool ThroughBottleneck(EndPoint to, int size, long now, ref long due)
    {
        long freeAt = Math.Max(now, _bottleneckFreeAt.GetValueOrDefault(to));
        if (freeAt - now > Ticks(Conditions.MaxQueueDelay))
        {
            DroppedAtBottleneck++;
            return false;
        }
        long transmit = size * _time.TimestampFrequency / Conditions.BytesPerSecond;
        _bottleneckFreeAt[to] = freeAt + transmit;
        due += freeAt + transmit - now;
        return true;
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    private void ArmLocked()
    {
        if (!_queue.TryPeek(out _, out var next) || next.Due >= _armedFor) return;
        _armedFor = next.Due;
        long delay = Math.Max(0, next.Due - _time.GetTimestamp());
        _timer.Change(TimeSpan.FromSeconds(delay / (double)_time.TimestampFrequency), Timeout.InfiniteTimeSpan);
    }

    private void DeliverDue()
    {
        while (true)
        {
            Delivery delivery;
            InMemoryDatagramSocket? target;
            lock (_gate)
            {
                _armedFor = long.MaxValue;
                if (!_queue.TryPeek(out _, out var next) || next.Due > _time.GetTimestamp())
                {
                    ArmLocked();
                    return;
                }
                delivery = _queue.Dequeue();
                _sockets.TryGetValue(delivery.To, out target);
                if (target is not null) Delivered++;
            }
            target?.Deliver(delivery.Data, delivery.From);
        }
    }

    private readonly record struct Delivery(byte[] Data, EndPoint From, EndPoint To);
}

/// <summary>A socket of an <see cref="InMemoryNetwork"/>.</summary>
public sealed class InMemoryDatagramSocket : IDatagramSocket
{
    private readonly InMemoryNetwork _network;
    private IDatagramReceiver? _receiver;

    internal InMemoryDatagramSocket(InMemoryNetwork network, EndPoint address)
    {
        _network = network;
        LocalEndPoint = address;
    }

    public EndPoint LocalEndPoint { get; }

    public void Start(IDatagramReceiver receiver) => _receiver = receiver;

    public void Send(ReadOnlySpan<byte> datagram, EndPoint remote) => _network.Send(datagram, LocalEndPoint, remote);

    internal void Deliver(byte[] data, EndPoint from)
    {
        if (_receiver is not { } receiver) return;
        receiver.OnDatagram(data, from);
        receiver.OnBatchEnd();
    }

    public void Dispose()
    {
        _receiver = null;
        _network.Remove(LocalEndPoint);
    }
}

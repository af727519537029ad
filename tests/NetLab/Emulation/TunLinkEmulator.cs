// A userspace netem: forwards IP packets between two TUN devices with delay, jitter, loss, duplication and reordering.

namespace P2PChat.NetLab.Emulation;

/// <summary>Per-direction link impairments, with the meaning tc netem gives them.</summary>
public sealed record LinkImpairment
{
    /// <summary>One-way delay.</summary>
    public TimeSpan Delay { get; init; }
    /// <summary>Uniform extra delay in [0, Jitter); order is kept (as netem with a rate or a FIFO link).</summary>
    public TimeSpan Jitter { get; init; }
    public double Loss { get; init; }
    public double Duplicate { get; init; }
    /// <summary>As netem "reorder P": that share of packets skips the delay and overtakes the ones in flight.</summary>
    public double Reorder { get; init; }
    /// <summary>Bottleneck rate in bytes per second (0 = unlimited), with a drop-tail queue of <see cref="QueueDelay"/>.</summary>
    public long BytesPerSecond { get; init; }
    public TimeSpan QueueDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The equivalent <c>tc qdisc … netem</c> arguments (without rate).</summary>
    public string ToNetem() =>
        $"delay {Delay.TotalMilliseconds}ms {Jitter.TotalMilliseconds}ms loss {Loss * 100}% duplicate {Duplicate * 100}% reorder {Reorder * 100}%";
}

/// <summary>
/// Used where the kernel has no sch_netem (like this project's CI VMs). One reader thread per direction takes packets
/// out of a TUN device, rolls the dice (seeded Random), and queues them; one sender thread per direction writes each
/// into the other device when its time comes. Works for any IP traffic, so TCP baselines see the same link.
/// </summary>
public sealed class TunLinkEmulator : IDisposable
{
    private readonly Direction[] _directions;
    private volatile bool _stopped;

    public TunLinkEmulator(TunDevice a, TunDevice b, LinkImpairment impairment, int seed)
    {
        _directions = [new Direction(this, a, b, impairment, seed), new Direction(this, b, a, impairment, seed + 1)];
        foreach (var d in _directions) d.Start();
    }

    public long Forwarded => _directions.Sum(d => d.Forwarded);
    public long Dropped => _directions.Sum(d => d.Dropped);

    public void Dispose()
    {
        _stopped = true;
        foreach (var d in _directions) d.Stop();
    }

    private sealed class Direction(TunLinkEmulator owner, TunDevice from, TunDevice to, LinkImpairment impairment, int seed)
    {
        private readonly Random _random = new(seed);
        private readonly PriorityQueue<byte[], (long Due, long Sequence)> _queue = new();
        private readonly object _gate = new();
        private long _sequence;
        private long _lastDue;
        private long _linkFreeAt;
        private Thread? _reader, _sender;

        public long Forwarded;
        public long Dropped;

        public void Start()
        {
            _reader = new Thread(ReadLoop) { IsBackground = true, Name = "tun-read " + from.Name };
            _sender = new Thread(SendLoop) { IsBackground = true, Name = "tun-send " + to.Name };
            _reader.Start();
            _sender.Start();
        }

        public void Stop()
        {
            lock (_gate) Monitor.PulseAll(_gate);
            _sender?.Join(TimeSpan.FromSeconds(2));
        }

        private static long Now => System.Diagnostics.Stopwatch.GetTimestamp();
        private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);

        private void ReadLoop()
        {
            var buffer = new byte[65536];
            while (!owner._stopped)
            {
                int n = from.Read(buffer);
                if (n < 0) return;
                if (n == 0) continue;
                lock (_gate)
                {
                    if (_random.NextDouble() < impairment.Loss) { Dropped++; continue; }
                    int copies = _random.NextDouble() < impairment.Duplicate ? 2 : 1;
                    for (int i = 0; i < copies; i++) Enqueue(buffer.AsSpan(0, n).ToArray());
                    Monitor.PulseAll(_gate);
                }
            }
        }

        private void Enqueue(byte[] packet)
        {
            long now = Now;
            if (impairment.BytesPerSecond > 0)
            {
                long free = Math.Max(now, _linkFreeAt);
                if (free - now > Ticks(impairment.QueueDelay)) { Dropped++; return; }
                _linkFreeAt = free + packet.Length * System.Diagnostics.Stopwatch.Frequency / impairment.BytesPerSecond;
                now = _linkFreeAt;
            }
            long due;
            if (_random.NextDouble() < impairment.Reorder) due = now;
            else
            {
                due = now + Ticks(impairment.Delay) + (long)(_random.NextDouble() * Ticks(impairment.Jitter));
                due = Math.Max(due, _lastDue);
                _lastDue = due;
            }
            _queue.Enqueue(packet, (due, _sequence++));
        }

        private void SendLoop()
        {
            while (!owner._stopped)
            {
                byte[]? packet = null;
                lock (_gate)
                {
                    if (!_queue.TryPeek(out _, out var next)) Monitor.Wait(_gate, 50);
                    else
                    {
                        long wait = next.Due - Now;
                        if (wait > 0) Monitor.Wait(_gate, TimeSpan.FromSeconds(wait / (double)System.Diagnostics.Stopwatch.Frequency));
                        else packet = _queue.Dequeue();
                    }
                }
                if (packet is null) continue;
                to.Write(packet);
                Interlocked.Increment(ref Forwarded);
            }
        }
    }
}

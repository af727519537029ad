// What the in-memory network does to each datagram: loss, duplication, reordering, delay, corruption, a bottleneck.
namespace P2PChat.NetLab.Transport;

/// <summary>Probabilities are per datagram and independent; a duplicated copy gets its own delay.</summary>
public sealed record LinkConditions
{
    public double Loss { get; init; }
    public double Duplicate { get; init; }
    /// <summary>Chance that a datagram is held back by <see cref="ReorderDelay"/> extra, so later ones overtake it.</summary>
    public double Reorder { get; init; }
    /// <summary>Chance that one random byte of the datagram is flipped.</summary>
    public double Corrupt { get; init; }
    /// <summary>One-way base delay.</summary>
    public TimeSpan Delay { get; init; } = TimeSpan.FromMilliseconds(10);
    /// <summary>Uniform random extra delay in [0, Jitter); it never reorders datagrams of one path (see <see cref="Reorder"/>).</summary>
    public TimeSpan Jitter { get; init; }
    public TimeSpan ReorderDelay { get; init; } = TimeSpan.FromMilliseconds(15);
    /// <summary>Bottleneck rate per destination in bytes per second; 0 = unlimited.</summary>
    public long BytesPerSecond { get; init; }
    /// <summary>With a bottleneck: datagrams that would wait longer than this in its queue are dropped (drop-tail).</summary>
    public TimeSpan MaxQueueDelay { get; init; } = TimeSpan.FromMilliseconds(50);
    /// <summary>Largest UDP payload the path carries (path MTU minus IP and UDP headers); larger datagrams vanish silently,
    /// as behind a router that drops them without an ICMP reply. 0 = unlimited.</summary>
    public int MaxDatagramSize { get; init; }
}

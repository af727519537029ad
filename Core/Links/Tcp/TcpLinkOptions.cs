// The TCP link socket's timers and budgets, each with the reason for its value (docs/nat-traversal.md, "TCP paths").
namespace P2PChat.Core.Links.Tcp;

public sealed record TcpLinkOptions
{
    /// <summary>Giving up on one connect (covers the kernel's SYN retransmits at 1 and 3 s, during which the peer's own
    /// SYN can still make it a simultaneous open).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>No new connect to an endpoint within this of a failed one (a check retransmit retries after it).</summary>
    public TimeSpan RetryGap { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Open and connecting connections at most (accepted ones over it are closed at once).</summary>
    public int MaxConnections { get; init; } = 64;

    /// <summary>Open connections from one IP address at most (a stranger cannot take every slot; a peer needs one per
    /// pair, and a NAT'd peer reaches us from one public address).</summary>
    public int MaxConnectionsPerAddress { get; init; } = 16;

    /// <summary>Datagrams held for an endpoint while its connect runs (the rest are dropped, as UDP would lose them).</summary>
    public int MaxQueuedWhileConnecting { get; init; } = 8;

    /// <summary>Framed bytes waiting to be written on one connection at most; past it datagrams are dropped (the
    /// transport retransmits and its congestion control backs off), so a send never blocks.</summary>
    public int MaxQueuedBytes { get; init; } = 1 << 20;

    /// <summary>A connection whose peer has not sent the preamble by then is closed (stray or stalled clients).</summary>
    public TimeSpan PreambleTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A connection with no frame either way for this long is closed (the checks that opened it are over;
    /// a live path's consent checks are far more frequent).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(90);
}

// The engine's timers and budgets, each with the reason for its value (docs/nat-traversal.md, "The link engine").
namespace P2PChat.Core.Links.Checks;

public sealed record EstablishOptions
{
    /// <summary>Ta, the pacing of new checks (RFC 8445 section 14.2 default 50 ms; our checks are 64 bytes, 3.2 kB/s).</summary>
    public TimeSpan Pacing { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Pairs whose first check leaves at once when the session starts, before pacing takes over (highest
    /// priority first). An introduction has a handful of pairs (host, loopback, reflexive, mapped, IPv6, TCP): paced
    /// one per Ta, the reflexive pair that crosses two NATs would wait behind host pairs that can never answer, and
    /// the peer's NAT would drop our first check before its own opened the way. At once it costs a few 64-byte
    /// datagrams, as Tailscale's disco pings every endpoint at once.</summary>
    public int InitialChecks { get; init; } = 8;

    /// <summary>First retransmission of an unanswered check; doubles per attempt.</summary>
    public TimeSpan CheckRetransmit { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Sends of one check before its pair fails (waits 200, 400, 800, 1600, 1600, 1600 ms: 6.2 s).</summary>
    public int CheckAttempts { get; init; } = 6;

    /// <summary>Longest wait between sends of one check.</summary>
    public TimeSpan MaxRetransmit { get; init; } = TimeSpan.FromMilliseconds(1600);

    /// <summary>Giving up on a direct path (then relay).</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Hard side: sockets (NAT mappings) opened toward the easy side's reflexive address.</summary>
    public int BirthdaySockets { get; init; } = 256;

    /// <summary>Easy side: random ports of the hard side's public address probed, at most.</summary>
    public int BirthdayProbes { get; init; } = 2048;

    /// <summary>Easy side: sweeps of <see cref="BirthdayProbes"/> probes at most; the next runs only when the last got no
    /// answer (2 × 4.1 s fits the 10 s deadline; at most 256 KiB of probes).</summary>
    public int BirthdaySweeps { get; init; } = 2;

    /// <summary>Easy side: pacing of probes (2048 × 2 ms = 4.1 s, 32 kB/s).</summary>
    public TimeSpan ProbePacing { get; init; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Answers per session per second at most (replayed requests cannot turn us into a reflector).</summary>
    public int MaxResponsesPerSecond { get; init; } = 200;

    /// <summary>The order of probed ports comes from this (tests pass a seeded one); null: <see cref="Random.Shared"/>.</summary>
    public Random? Random { get; init; }

    /// <summary>How long the controlling side keeps a succeeded TCP pair waiting for a UDP pair to succeed before it
    /// nominates it (UDP is preferred; a UDP check answers within a round trip or two where UDP works at all).</summary>
    public TimeSpan TcpGrace { get; init; } = TimeSpan.FromMilliseconds(1500);

    /// <summary>Peer-reflexive candidates learned from requests, at most (state a flood could otherwise grow).</summary>
    public int MaxPeerReflexive { get; init; } = 16;

    /// <summary>
    /// Closes the sockets a session no longer needs (birthday probing's, the binding-lifetime test's), called after the
    /// session's lock is released and its result is set. Closing a real UDP socket waits for its receive thread (up to
    /// 5 s; a receive thread may itself be waiting for the session's lock), 255 of them after birthday probing, and the
    /// thread that finishes a session is the receive thread of the chosen path's socket: closed there, or under the
    /// lock, they held the controlled side's nomination back for seconds while the peer already sent on the new path
    /// (lab scenario 9: the link went down). So by default they close on a thread of their own
    /// (<see cref="CloseInBackground"/>); the single-threaded simulator passes <see cref="CloseInline"/>.
    /// </summary>
    public Action<IReadOnlyList<IDisposable>> CloseSockets { get; init; } = CloseInBackground;

    /// <summary>Closes each socket on the calling thread (the simulator: one thread, a manual clock).</summary>
    public static void CloseInline(IReadOnlyList<IDisposable> sockets)
    {
        foreach (var socket in sockets)
        {
            try { socket.Dispose(); }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or ObjectDisposedException or InvalidOperationException) { }
        }
    }

    /// <summary>Closes the sockets on a dedicated thread (each close may wait seconds for its receive thread).</summary>
    public static void CloseInBackground(IReadOnlyList<IDisposable> sockets)
    {
        if (sockets.Count == 0) return;
        _ = Task.Factory.StartNew(() => CloseInline(sockets), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }
}

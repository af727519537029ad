// Drops the cipher contexts of connections that carried no record for a whole sweep interval (idle memory).
using System.Collections.Concurrent;

namespace P2PChat.Rendezvous.Tls;

/// <summary>
/// Each direction of a <see cref="TlsRecordStream"/> keeps an AEAD object, whose native OpenSSL context is about
/// 1.1 KiB; making one costs about 1.7 µs (measured, docs/benchmarks.md), too much to pay per message, too much memory to
/// keep on 10,000 idle connections. So every <c>interval</c> (2 s; a sweep of 10,000 streams takes well under a millisecond) the sweeper looks at each stream: a direction that sealed
/// or opened no record since the last look drops its context (its keys stay; the next record makes a new context).
/// A connection is thus trimmed after one to two intervals of silence. The streams register themselves.
/// </summary>
public sealed class IdleCipherSweeper : IDisposable
{
    /// <summary>The interval measured (option TlsCipherSweepSeconds, off by default): shorter than the clients' heartbeat
    /// (10 s), so a connection that only exchanges PING/PONG holds its contexts for 2–4 s of every 10. It freed ~22 MB
    /// of glibc's heap at 10,000 idle connections but cost resident memory (contexts re-made on whichever thread serves
    /// the next PING, spreading over malloc arenas): docs/benchmarks.md, issue 12, session 11.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(2);
    private readonly ConcurrentDictionary<TlsRecordStream, byte> _streams = new();
    private readonly ITimer? _timer;

    /// <param name="time">the clock of the sweeps; null: only explicit <see cref="Sweep"/> calls (tests).</param>
    public IdleCipherSweeper(TimeProvider? time, TimeSpan interval)
    {
        if (time is not null) _timer = time.CreateTimer(_ => Sweep(), null, interval, interval);
    }

    internal void Add(TlsRecordStream stream) => _streams.TryAdd(stream, 0);
    internal void Remove(TlsRecordStream stream) => _streams.TryRemove(stream, out _);

    /// <summary>One sweep; returns the cipher contexts dropped.</summary>
    public int Sweep()
    {
        var released = 0;
        foreach (var stream in _streams.Keys) released += stream.ReleaseIdleCiphers();
        return released;
    }

    public void Dispose() => _timer?.Dispose();
}

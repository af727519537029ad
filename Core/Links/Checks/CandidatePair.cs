// One local base socket paired with one remote candidate, and where its check stands (RFC 8445 section 6.1.2.6).
using System.Net;
using P2PChat.Core.Links.Paths;

namespace P2PChat.Core.Links.Checks;

/// <summary>
/// States (the RFC's Frozen state is not needed: there is one component, so no foundation waits on another):
/// <code>
/// Waiting ──(paced send or triggered)──► InProgress ──(response from the pair's remote)──► Succeeded
///    ▲                                       │ (no answer after every attempt)
///    └────────(the peer's request arrives)───┴──────────────────────────────────────────► Failed
/// </code>
/// A request from the peer on a Failed or Waiting pair makes it a triggered check (sent before the paced ones).
/// </summary>
public enum PairState
{
    Waiting,
    InProgress,
    Succeeded,
    Failed,
}

public sealed class CandidatePair(CheckDemultiplexer socket, Candidate local, Candidate remote, ulong priority, bool probed)
{
    public CheckDemultiplexer Socket { get; } = socket;
    /// <summary>The host candidate of <see cref="Socket"/> (checks are sent from the base).</summary>
    public Candidate Local { get; } = local;
    public Candidate Remote { get; } = remote;
    public ulong Priority { get; } = priority;
    /// <summary>Found or opened by birthday probing.</summary>
    public bool Probed { get; } = probed;

    public PairState State { get; internal set; }
    public int Attempts { get; internal set; }
    /// <summary>Clock timestamp of the next retransmission while in progress.</summary>
    internal long NextSend { get; set; }
    public TimeSpan? Rtt { get; internal set; }
    /// <summary>The address the peer saw our check come from (from its response): our binding on this path.</summary>
    public IPEndPoint? SeenAs { get; internal set; }
    /// <summary>Which of our candidates the peer addressed when its request arrived on this pair (null: none seen yet).</summary>
    public IPEndPoint? ReachedAt { get; internal set; }

    public override string ToString() => $"{Local.EndPoint} -> {Remote} [{State}]";
}

// The engine's result: the nominated pair and the socket it runs on, or why no direct path was found.
using System.Net;
using P2PChat.Core.Links.Paths;
using P2PChat.Core.Transport.Sockets;

namespace P2PChat.Core.Links.Checks;

/// <summary>
/// A nominated, checked UDP path. Next (the caller): on the controlling side
/// <c>new UdpTransportEndpoint(Socket, options, time).ConnectAsync(Remote.EndPoint)</c> (or the endpoint already on a
/// shared socket) then <c>SecureLink.RespondAsync</c>; on the controlled side accept on that endpoint and
/// <c>SecureLink.InitiateAsync</c> (the accepting side starts the handshake: see <c>LinkHandshakeDriver</c>). Disposing stops answering this introduction's checks and closes the socket when
/// <see cref="SocketIsShared"/> is false (a birthday-probing socket the engine opened).
/// </summary>
/// <param name="Local">our candidate of the pair (its base socket is <see cref="Socket"/>).</param>
/// <param name="Remote">where to send: the peer's candidate (possibly peer-reflexive or found by probing).</param>
/// <param name="Via">lan, reflexive, probed or mapped (for the link event and the ranker).</param>
/// <param name="Socket">the socket of the pair; checks and transport share it.</param>
/// <param name="SocketIsShared">true when it is one of the caller's bases (the caller owns it), false for a socket the engine opened.</param>
/// <param name="Rtt">round-trip time of the successful check.</param>
public sealed class EstablishedPath : IPathProbe, IDisposable
{
    private readonly CheckSession _session;

    internal EstablishedPath(Candidate local, Candidate remote, PathVia via, CheckDemultiplexer socket, bool socketIsShared, TimeSpan rtt, IPEndPoint? seenAs, CheckSession session)
    {
        SeenAs = seenAs;
        Local = local;
        Remote = remote;
        Via = via;
        Socket = socket;
        SocketIsShared = socketIsShared;
        Rtt = rtt;
        _session = session;
    }

    public Candidate Local { get; }
    public Candidate Remote { get; }
    public PathVia Via { get; }
    public CheckDemultiplexer Socket { get; }
    public bool SocketIsShared { get; }
    public TimeSpan Rtt { get; }
    /// <summary>Our address as the peer saw it on this path (null when the peer's answer has not been seen).</summary>
    public IPEndPoint? SeenAs { get; }

    /// <summary>Sends one consent check (64 bytes) to <see cref="Remote"/>: the path monitor's probe and a keepalive.</summary>
    public void SendConsentCheck() => _session.SendConsentCheck();

    void IPathProbe.SendProbe() => SendConsentCheck();

    /// <summary>Called (on a receive thread) when a consent check is answered: the RTT and the address the peer saw it from.</summary>
    public Action<TimeSpan, IPEndPoint?>? ConsentAnswered { get => _session.ConsentAnswered; set => _session.ConsentAnswered = value; }

    /// <summary>
    /// Starts a <see cref="PathMonitor"/> on this path: consent checks are its probes and keepalives, their answers and
    /// the peer's own checks its inbound signal; an answer seen from another address of ours than the first means our
    /// NAT binding expired during the silence before it. The caller also reports transport traffic
    /// (<see cref="PathMonitor.OnInbound"/>/<see cref="PathMonitor.OnOutbound"/>) and disposes the monitor.
    /// </summary>
    /// <param name="testSocket">a fresh socket for the binding-lifetime test (<see cref="CheckSession.StartLifetimeTest"/>),
    /// or null to skip it (the interval then stays at what the path's own keepalives prove).</param>
    public PathMonitor Monitor(TimeProvider time, IDatagramSocket? testSocket = null, BindingLifetime? lifetime = null, PathMonitorOptions? options = null)
    {
        var monitor = new PathMonitor(this, time, lifetime, options);
        if (testSocket is not null) _session.StartLifetimeTest(testSocket, monitor.OnBindingTested);
        IPEndPoint? seenAs = SeenAs;
        ConsentAnswered = (rtt, seen) =>
        {
            bool changed = seen is not null && seenAs is not null && !seen.Equals(seenAs);
            seenAs = seen ?? seenAs;
            monitor.OnProbeAnswered(rtt, changed);
        };
        PeerActive = monitor.OnInbound;
        return monitor;
    }

    /// <summary>Called (on a receive thread) when the peer's own check arrives on this path (it is alive inbound).</summary>
    public Action? PeerActive { get => _session.PeerActive; set => _session.PeerActive = value; }

    /// <summary>Checks on this path rejected since the start (forged, replayed, strangers').</summary>
    public int RejectedChecks => _session.Rejected;

    public void Dispose()
    {
        _session.Dispose();
        if (!SocketIsShared) Socket.Dispose();
    }
}

/// <summary>Counts of what one establishment sent and dropped (for the event, logs and the flood tests).</summary>
public sealed record CheckStatistics(int PairsChecked, int ChecksSent, int ResponsesSent, int ProbesSent, int SocketsOpened, int Rejected);

/// <param name="Path">the nominated path, or null: no direct path within the deadline (use the relay).</param>
/// <param name="Outcome">"direct" or why not (e.g. "no pair answered within 10 s", "both NATs are symmetric").</param>
public sealed record LinkEstablishment(EstablishedPath? Path, string Outcome, CheckStatistics Statistics);

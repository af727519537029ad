// The engine's result: the nominated pair and the socket it runs on, or why no direct path was found.
using P2PChat.Core.Links.Paths;

namespace P2PChat.Core.Links.Checks;

/// <summary>
/// A nominated, checked UDP path. Next (the caller): on the controlling side
/// <c>new UdpTransportEndpoint(Socket, options, time).ConnectAsync(Remote.EndPoint)</c> (or the endpoint already on a
/// shared socket) then <c>SecureLink.InitiateAsync</c>; on the controlled side accept on that endpoint and
/// <c>SecureLink.RespondAsync</c>. Disposing stops answering this introduction's checks and closes the socket when
/// <see cref="SocketIsShared"/> is false (a birthday-probing socket the engine opened).
/// </summary>
/// <param name="Local">our candidate of the pair (its base socket is <see cref="Socket"/>).</param>
/// <param name="Remote">where to send: the peer's candidate (possibly peer-reflexive or found by probing).</param>
/// <param name="Via">lan, reflexive, probed or mapped (for the link event and the ranker).</param>
/// <param name="Socket">the socket of the pair; checks and transport share it.</param>
/// <param name="SocketIsShared">true when it is one of the caller's bases (the caller owns it), false for a socket the engine opened.</param>
/// <param name="Rtt">round-trip time of the successful check.</param>
public sealed class EstablishedPath(Candidate local, Candidate remote, PathVia via, CheckDemultiplexer socket, bool socketIsShared, TimeSpan rtt, IDisposable session) : IDisposable
{
    public Candidate Local { get; } = local;
    public Candidate Remote { get; } = remote;
    public PathVia Via { get; } = via;
    public CheckDemultiplexer Socket { get; } = socket;
    public bool SocketIsShared { get; } = socketIsShared;
    public TimeSpan Rtt { get; } = rtt;

    public void Dispose()
    {
        session.Dispose();
        if (!SocketIsShared) Socket.Dispose();
    }
}

/// <summary>Counts of what one establishment sent and dropped (for the event, logs and the flood tests).</summary>
public sealed record CheckStatistics(int PairsChecked, int ChecksSent, int ResponsesSent, int ProbesSent, int SocketsOpened, int Rejected);

/// <param name="Path">the nominated path, or null: no direct path within the deadline (use the relay).</param>
/// <param name="Outcome">"direct" or why not (e.g. "no pair answered within 10 s", "both NATs are symmetric").</param>
public sealed record LinkEstablishment(EstablishedPath? Path, string Outcome, CheckStatistics Statistics);

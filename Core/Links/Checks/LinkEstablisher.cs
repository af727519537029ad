// The link-establishment engine's entry point: ICE-style checks on every candidate pair, birthday probing, nomination.
using System.Net.Sockets;
using P2PChat.Core.Links.Paths;
using P2PChat.Core.Transport.Sockets;

namespace P2PChat.Core.Links.Checks;

public static class LinkEstablisher
{
    /// <summary>
    /// Runs connectivity checks between <paramref name="local"/> and <paramref name="remote"/> (both sides call this at
    /// once after the introduction, with the same token and opposite roles) and returns the nominated path, or a null
    /// path when none works within <see cref="EstablishOptions.Deadline"/> (then use the relay). Never throws for
    /// network trouble; throws <see cref="OperationCanceledException"/> on <paramref name="ct"/>.
    /// </summary>
    /// <param name="token">the introduction token (at least 16 bytes), identical on both sides.</param>
    /// <param name="role">from <see cref="CheckRoles.Choose"/>.</param>
    /// <param name="socketFactory">fresh, unconnected UDP sockets of an address family (birthday probing on the hard side
    /// opens up to <see cref="EstablishOptions.BirthdaySockets"/>).</param>
    /// <param name="reachable">called, before nomination, for each pair on one of <paramref name="local"/>'s sockets that
    /// is known to carry packets to the peer (at most <see cref="CheckSession.MaxReachableReports"/>): the caller may race
    /// its first packets (the link handshake) on it instead of waiting for the nomination.</param>
    /// <param name="current">controlling side: the live path the link uses now (null while relayed); a checked pair is
    /// nominated only for a real gain over it (<see cref="PathRanker.Choose"/>'s hysteresis).</param>
    public static Task<LinkEstablishment> EstablishAsync(LocalCandidates local, CandidateSet remote, ReadOnlyMemory<byte> token, CheckRole role,
        Func<AddressFamily, IDatagramSocket> socketFactory, TimeProvider time, CancellationToken ct, EstablishOptions? options = null,
        Action<ReachablePair>? reachable = null, Func<PathSample?>? current = null)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(remote);
        ct.ThrowIfCancellationRequested();
        var session = new CheckSession(local, remote, token.Span, role, socketFactory, time, options ?? new EstablishOptions()) { Reachable = reachable, Current = current };
        session.Start(ct);
        return session.Result;
    }
}

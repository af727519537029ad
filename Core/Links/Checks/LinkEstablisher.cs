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
    public static Task<LinkEstablishment> EstablishAsync(LocalCandidates local, CandidateSet remote, ReadOnlyMemory<byte> token, CheckRole role,
        Func<AddressFamily, IDatagramSocket> socketFactory, TimeProvider time, CancellationToken ct, EstablishOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(remote);
        ct.ThrowIfCancellationRequested();
        var session = new CheckSession(local, remote, token.Span, role, socketFactory, time, options ?? new EstablishOptions());
        session.Start(ct);
        return session.Result;
    }
}

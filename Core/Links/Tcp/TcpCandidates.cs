// Which TCP candidates a peer's published (UDP) candidates imply: no wire change, the listener shares the link port.
using P2PChat.Core.Links.Paths;

namespace P2PChat.Core.Links.Tcp;

/// <summary>
/// A peer listens for TCP on its link socket's port and connects from that port (<see cref="TcpLinkSocket"/>), so
/// each of its host and reflexive candidates also names a TCP candidate at the same address and port, of RFC 6544's
/// simultaneous-open type (it is active, passive and S-O at once: see <see cref="TcpLinkSocket"/>). Both sides derive
/// them the same way from the introduction, so the wire format is unchanged. A router-mapped candidate implies none:
/// the mapping asked of the router (UPnP IGD, NAT-PMP, PCP) is for UDP only. The TCP candidates come after every UDP
/// one, so the engine's UDP-first choices (birthday probing's reflexive target, the probing base) see the same list.
/// </summary>
public static class TcpCandidates
{
    public static IReadOnlyList<Candidate> WithImplied(IEnumerable<Candidate> udp)
    {
        var list = udp.ToList();
        var tcp = list.Where(c => c.Transport == CandidateTransport.Udp && c.Kind is CandidateKind.Host or CandidateKind.Reflexive)
            .Select(c => c with { Transport = CandidateTransport.TcpSimultaneousOpen })
            .Where(t => !list.Any(c => c.Transport == t.Transport && c.EndPoint.Equals(t.EndPoint)))
            .DistinctBy(c => c.EndPoint)
            .ToList();
        return [.. list, .. tcp];
    }
}

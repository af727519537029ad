// Turns what Core/Nat found (host addresses, the reflexive report, a router mapping) into this side's candidates.
using System.Net;
using System.Net.Sockets;
using P2PChat.Core.Nat;
using P2PChat.Core.Nat.PortMapping;

namespace P2PChat.Core.Links.Paths;

public static class CandidateGathering
{
    /// <summary>
    /// Host candidates for every given interface address with the socket's port (loopback and IPv6 link-local left
    /// out: neither reaches another machine without a scope), the reflexive address unless the STUN servers saw our
    /// own address (no NAT: the host candidate is the same endpoint), and the router-mapped port. Duplicates removed
    /// (a host address wins over anything else, a mapped port over an equal reflexive address).
    /// </summary>
    public static IReadOnlyList<Candidate> From(IEnumerable<IPAddress> hostAddresses, int port, ReflexiveReport? report, IPortMapping? mapping)
    {
        var list = new List<Candidate>();
        foreach (var address in hostAddresses)
        {
            if (IPAddress.IsLoopback(address) || address.IsIPv6LinkLocal) continue;
            list.Add(new Candidate(CandidateKind.Host, new IPEndPoint(address, port)));
        }
        // The mapped port first: when the router kept our port it equals the reflexive address, and then it is the
        // mapping (open to anyone) that makes it reachable, so the endpoint counts as mapped.
        if (mapping is not null && mapping.External.AddressFamily == AddressFamily.InterNetwork)
            list.Add(new Candidate(CandidateKind.Mapped, mapping.External));
        if (report is { Reflexive: { } reflexive, Behaviour: not MappingBehaviour.NoNat })
            list.Add(new Candidate(CandidateKind.Reflexive, reflexive));
        return [.. list.DistinctBy(c => c.EndPoint).OrderByDescending(c => c.Priority)];
    }
}

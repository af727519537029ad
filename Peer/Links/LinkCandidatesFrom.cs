// Turns what /nat discovery found into the candidates this peer publishes (best first, at most 16).
using System.Net;
using System.Net.Sockets;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Peer.Nat;

namespace P2PChat.Peer.Links;

public static class LinkCandidatesFrom
{
    /// <summary>mapped, reflexive, IPv6 and LAN candidates as discovery listed them, then 127.0.0.1 (two peers on one
    /// machine), without duplicates, at most <see cref="LinkCandidate.MaxPerFrame"/>.</summary>
    public static IReadOnlyList<LinkCandidate> Nat(NatEvent found, int port)
    {
        var list = new List<LinkCandidate>();
        foreach (var c in found.Candidates)
        {
            if (!IPEndPoint.TryParse(c.Address, out var endPoint) || endPoint.Port == 0) continue;
            var kind = c.Kind switch
            {
                "mapped" => LinkCandidateKind.Mapped,
                "reflexive" => LinkCandidateKind.Reflexive,
                "ipv6" => LinkCandidateKind.Ipv6,
                _ => LinkCandidateKind.Lan,
            };
            list.Add(new LinkCandidate(kind, endPoint));
        }
        list.Add(new LinkCandidate(LinkCandidateKind.Lan, new IPEndPoint(IPAddress.Loopback, port)));
        return [.. list.DistinctBy(c => c.EndPoint).Take(LinkCandidate.MaxPerFrame)];
    }

    /// <summary>Without discovery: the IPv4 interface addresses with the shared socket's port, then loopback.</summary>
    public static IReadOnlyList<LinkCandidate> Lan(IReadOnlyList<IPAddress> addresses, int port) =>
        [.. addresses.Where(a => a.AddressFamily == AddressFamily.InterNetwork).Append(IPAddress.Loopback).Distinct()
            .Select(a => new LinkCandidate(LinkCandidateKind.Lan, new IPEndPoint(a, port))).Take(LinkCandidate.MaxPerFrame)];
}

// Which local and remote candidates can form a pair: same address family, and transports that can meet (RFC 6544 for TCP).
using System.Net.Sockets;

namespace P2PChat.Core.Links.Paths;

public static class CandidatePairing
{
    /// <summary>
    /// UDP pairs with UDP; TCP active with the other side's passive and passive with active (one connects, one
    /// listens); simultaneous-open with simultaneous-open (both connect at once, RFC 6544 section 6.2); never across
    /// IPv4/IPv6, never with the relay (it is reached by tag through the server, not checked).
    /// </summary>
    public static bool CanPair(Candidate local, Candidate remote)
    {
        if (local.Kind == CandidateKind.Relay || remote.Kind == CandidateKind.Relay) return false;
        if (Family(local) != Family(remote)) return false;
        return (local.Transport, remote.Transport) switch
        {
            (CandidateTransport.Udp, CandidateTransport.Udp) => true,
            (CandidateTransport.TcpActive, CandidateTransport.TcpPassive) => true,
            (CandidateTransport.TcpPassive, CandidateTransport.TcpActive) => true,
            (CandidateTransport.TcpSimultaneousOpen, CandidateTransport.TcpSimultaneousOpen) => true,
            _ => false,
        };
    }

    private static AddressFamily Family(Candidate c) => c.IsIpv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
}

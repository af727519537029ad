// This side's input to the engine: the sockets candidates were gathered on, the candidates, and the NAT's mapping behaviour.
using P2PChat.Core.Links.Paths;
using P2PChat.Core.Nat;

namespace P2PChat.Core.Links.Checks;

/// <summary>
/// One socket and the candidates that reach it: its host addresses (with its port), the reflexive address STUN saw
/// from it, the router-mapped port forwarded to it. Checks for these candidates are sent from this socket (RFC 8445:
/// from the candidate's base).
/// </summary>
public sealed record CandidateBase(CheckDemultiplexer Socket, IReadOnlyList<Candidate> Candidates);

/// <param name="Bases">usually one IPv4 socket and, where the host has IPv6, one IPv6 socket.</param>
/// <param name="Mapping">this side's mapping behaviour (IPv4), from Core/Nat's discovery.</param>
public sealed record LocalCandidates(IReadOnlyList<CandidateBase> Bases, MappingBehaviour Mapping)
{
    /// <summary>What to send to the peer in the introduction.</summary>
    public CandidateSet ToCandidateSet() => new([.. Bases.SelectMany(b => b.Candidates)], Mapping);
}

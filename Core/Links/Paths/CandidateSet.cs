// What one side tells the other through the introduction: its candidates and how its NAT maps.
using P2PChat.Core.Nat;

namespace P2PChat.Core.Links.Paths;

/// <param name="Candidates">every candidate, any order (the engine sorts by priority).</param>
/// <param name="Mapping">the side's RFC 4787 mapping behaviour from <see cref="ReflexiveDiscovery"/> (decides birthday probing).</param>
public sealed record CandidateSet(IReadOnlyList<Candidate> Candidates, MappingBehaviour Mapping)
{
    /// <summary>An endpoint-independent mapping or no NAT: the side's reflexive address works for every peer.</summary>
    public bool IsEasy => Mapping is MappingBehaviour.EndpointIndependent or MappingBehaviour.NoNat;

    /// <summary>A per-destination mapping (symmetric): its reflexive address is useless to a peer.</summary>
    public bool IsHard => Mapping is MappingBehaviour.AddressDependent or MappingBehaviour.AddressAndPortDependent or MappingBehaviour.DestinationDependent;

    public bool HasMapped => Candidates.Any(c => c.Kind == CandidateKind.Mapped);
}

// RFC 4787 mapping behaviour and the pure function that infers it from what several STUN servers reported.
using System.Net;
using P2PChat.Core.Nat.Stun;

namespace P2PChat.Core.Nat;

/// <summary>How a NAT chooses the public address:port of outgoing traffic (RFC 4787 section 4.1).</summary>
public enum MappingBehaviour
{
    /// <summary>No STUN server answered.</summary>
    Unknown,
    /// <summary>Only one destination answered: the reflexive address is known, the behaviour is not.</summary>
    Undetermined,
    /// <summary>The servers saw our own local address and port: no NAT on the path.</summary>
    NoNat,
    /// <summary>One mapping for all destinations ("cone"): hole punching works.</summary>
    EndpointIndependent,
    /// <summary>A new mapping per destination address (the port does not matter).</summary>
    AddressDependent,
    /// <summary>A new mapping per destination address and port ("symmetric").</summary>
    AddressAndPortDependent,
    /// <summary>The mapping changed between servers on different addresses; no two ports of one address were asked.</summary>
    DestinationDependent,
}

public static class MappingClassifier
{
    /// <summary>
    /// Infers the behaviour from successful observations (server → reflexive) taken from one local socket:
    /// the same reflexive endpoint everywhere → endpoint-independent (or no NAT when it is one of
    /// <paramref name="localEndPoints"/>); two ports of one server address seeing different mappings →
    /// address-and-port-dependent; same mapping across ports of one address but different across addresses →
    /// address-dependent; only different addresses asked and the mapping changed → destination-dependent.
    /// </summary>
    public static MappingBehaviour Classify(IReadOnlyList<StunBindingResult> results, IReadOnlyCollection<IPEndPoint> localEndPoints)
    {
        var seen = results.Where(r => r.Reflexive is not null)
            .Select(r => (Server: Normal(r.Server), Mapped: Normal(r.Reflexive!)))
            .DistinctBy(o => o.Server).ToList();
        if (seen.Count == 0) return MappingBehaviour.Unknown;
        if (seen.All(o => localEndPoints.Any(l => Normal(l).Equals(o.Mapped)))) return MappingBehaviour.NoNat;
        if (seen.Count == 1) return MappingBehaviour.Undetermined;
        if (seen.All(o => o.Mapped.Equals(seen[0].Mapped))) return MappingBehaviour.EndpointIndependent;
        bool portMatters = false, samePortSameAddress = false;
        foreach (var a in seen)
            foreach (var b in seen)
            {
                if (ReferenceEquals(a.Server, b.Server) || !a.Server.Address.Equals(b.Server.Address)) continue;
                if (a.Mapped.Equals(b.Mapped)) samePortSameAddress = true; else portMatters = true;
            }
        if (portMatters) return MappingBehaviour.AddressAndPortDependent;
        return samePortSameAddress ? MappingBehaviour.AddressDependent : MappingBehaviour.DestinationDependent;
    }

    private static IPEndPoint Normal(IPEndPoint e) => new(StunClient.Normalize(e.Address), e.Port);
}

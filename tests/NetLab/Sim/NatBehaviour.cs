// What a simulated NAT does (RFC 4787): how it maps, how it filters, hairpinning, port preservation, timeouts.
namespace P2PChat.NetLab.Sim;

/// <summary>RFC 4787 section 4.1 mapping and section 5 filtering share these three scopes.</summary>
public enum NatScope
{
    /// <summary>Any destination (mapping) / anyone may send in (filtering).</summary>
    EndpointIndependent,
    /// <summary>Per destination address.</summary>
    AddressDependent,
    /// <summary>Per destination address and port.</summary>
    AddressAndPortDependent,
}

/// <param name="Mapping">when a new public port is taken.</param>
/// <param name="Filtering">who may send in through an existing mapping.</param>
/// <param name="Hairpinning">whether a host may reach another host behind the same NAT at its public address.</param>
/// <param name="PortPreservation">whether the public port equals the private one when free.</param>
/// <param name="MappingTimeout">a mapping unused (outbound) this long is forgotten (RFC 4787 REQ-5: at least 2 min).</param>
public sealed record NatBehaviour(NatScope Mapping, NatScope Filtering, bool Hairpinning, bool PortPreservation, TimeSpan MappingTimeout)
{
    /// <summary>Full cone: EIM + EIF.</summary>
    public static NatBehaviour FullCone { get; } = new(NatScope.EndpointIndependent, NatScope.EndpointIndependent, true, true, TimeSpan.FromMinutes(2));
    /// <summary>Linux MASQUERADE: EIM, port preserved, replies only from the exact endpoint contacted, no hairpin.</summary>
    public static NatBehaviour PortRestrictedCone { get; } = new(NatScope.EndpointIndependent, NatScope.AddressAndPortDependent, false, true, TimeSpan.FromSeconds(30));
    /// <summary>MASQUERADE --random-fully: a new random port per destination endpoint.</summary>
    public static NatBehaviour Symmetric { get; } = new(NatScope.AddressAndPortDependent, NatScope.AddressAndPortDependent, false, false, TimeSpan.FromSeconds(30));
}

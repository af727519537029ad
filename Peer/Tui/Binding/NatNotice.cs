// The lines the TUI shows as the answer to /nat: what the NAT does, the public addresses, the mapping, the candidates.
using P2PChat.Core.Nat;
using P2PChat.Peer.Nat;

namespace P2PChat.Peer.Tui.Binding;

/// <summary>
/// Layout, one notice per line, in the buffer where /nat was typed:
/// <code>
/// nat: endpoint-independent NAT: hole punching works · public 203.0.113.7:40000 (port kept) · local 0.0.0.0:40000
/// nat: router mapping upnp 203.0.113.7:40000 until 14:05 (renewed automatically)
/// nat: stun 198.51.100.1:3478 → 203.0.113.7:40000 · stun 198.51.100.2:3478 failed: timeout
/// nat: ipv6 2001:db8::7 · no NAT
/// nat: candidates mapped 203.0.113.7:40000, reflexive 203.0.113.7:40000, lan 192.168.1.7:40000
/// </code>
/// The router, IPv6 and candidates lines are left out when there is nothing to say.
/// </summary>
public static class NatNotice
{
    public static IReadOnlyList<string> Lines(NatEvent nat, TimeZoneInfo zone)
    {
        var lines = new List<string>();
        var first = new List<string> { Describe(nat.Mapping) };
        if (nat.Reflexive is { } reflexive) first.Add($"public {reflexive}{(nat.PortPreserved ? " (port kept)" : "")}");
        first.Add($"local {nat.Local}");
        lines.Add("nat: " + string.Join(" · ", first));

        if (nat.PortMapping is { } protocol)
        {
            var until = nat.MappedUntil is { } t ? $" until {TimeZoneInfo.ConvertTime(t, zone):HH:mm} (renewed automatically)" : "";
            lines.Add($"nat: router mapping {protocol} {nat.MappedAddress ?? "(no address)"}{until}");
        }
        else
        {
            lines.Add("nat: no router mapping (UPnP, PCP and NAT-PMP did not answer, or --no-port-mapping)");
        }

        if (nat.Servers.Count > 0)
            lines.Add("nat: " + string.Join(" · ", nat.Servers.Select(s => s.Reflexive is { } seen ? $"stun {s.Server} → {seen}" : $"stun {s.Server} failed: {s.Error}")));

        if (nat.Ipv6.Count > 0 || nat.Ipv6Reflexive is not null)
        {
            var v6 = new List<string>();
            if (nat.Ipv6.Count > 0) v6.Add(string.Join(", ", nat.Ipv6));
            if (nat.Ipv6Reflexive is { } seen6) v6.Add($"seen as {seen6}");
            if (nat.Ipv6Mapping is { } mapping6) v6.Add(mapping6 == MappingBehaviour.NoNat ? "no NAT" : Name(mapping6));
            lines.Add("nat: ipv6 " + string.Join(" · ", v6));
        }

        lines.Add(nat.Candidates.Count > 0
            ? "nat: candidates " + string.Join(", ", nat.Candidates.Select(c => $"{c.Kind} {c.Address}"))
            : "nat: no candidates: direct links will go through the relay");
        return lines;
    }

    /// <summary>The mapping behaviour and what it means for direct links.</summary>
    internal static string Describe(MappingBehaviour mapping) => mapping switch
    {
        MappingBehaviour.Unknown => "no STUN server answered: NAT unknown",
        MappingBehaviour.Undetermined => "one STUN server answered: NAT behaviour undetermined",
        MappingBehaviour.NoNat => "no NAT: this machine is reachable as it is",
        MappingBehaviour.EndpointIndependent => "endpoint-independent NAT: hole punching works",
        MappingBehaviour.AddressDependent => "address-dependent NAT: hole punching usually works",
        MappingBehaviour.AddressAndPortDependent => "symmetric NAT (address and port dependent): direct links may need the relay",
        MappingBehaviour.DestinationDependent => "destination-dependent NAT: direct links may need the relay",
        _ => Name(mapping),
    };

    private static string Name(MappingBehaviour mapping) => mapping switch
    {
        MappingBehaviour.EndpointIndependent => "endpoint-independent",
        MappingBehaviour.AddressDependent => "address-dependent",
        MappingBehaviour.AddressAndPortDependent => "address-and-port-dependent",
        MappingBehaviour.DestinationDependent => "destination-dependent",
        MappingBehaviour.Undetermined => "undetermined",
        MappingBehaviour.Unknown => "unknown",
        _ => mapping.ToString(),
    };
}

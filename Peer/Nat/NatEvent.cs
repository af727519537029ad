// What /nat reports: how the world sees this peer (mapping behaviour, reflexive and mapped addresses, IPv6, candidates).
using P2PChat.Core.Nat;
using P2PChat.Peer.Events;

namespace P2PChat.Peer.Nat;

/// <summary>
/// One answer to <c>/nat</c> (headless: <c>{"event":"nat",...}</c>, docs/headless.md).
/// </summary>
/// <param name="Mapping">RFC 4787 mapping behaviour of the IPv4 NAT (unknown, undetermined, no_nat, endpoint_independent, address_dependent, address_and_port_dependent, destination_dependent).</param>
/// <param name="Local">the UDP socket discovery ran on (the one direct links will share), "0.0.0.0:PORT".</param>
/// <param name="Reflexive">the address:port the STUN servers saw (null when none answered).</param>
/// <param name="PortPreserved">the NAT kept our local port.</param>
/// <param name="Servers">each STUN server's answer or error.</param>
/// <param name="PortMapping">upnp, pcp or nat_pmp when the router mapped a port for us; null when none did.</param>
/// <param name="MappedAddress">the router-mapped public address:port.</param>
/// <param name="MappedUntil">when the router forgets it unless renewed (renewal is automatic).</param>
/// <param name="Ipv6">global IPv6 addresses of this machine (they need no NAT traversal, only a firewall punch).</param>
/// <param name="Ipv6Reflexive">the IPv6 address:port an IPv6 STUN server saw, when one was given.</param>
/// <param name="Ipv6Mapping">no_nat when the IPv6 STUN server saw our own address, else the behaviour seen.</param>
/// <param name="Candidates">every address a peer could try, best first: mapped, reflexive, IPv6, LAN.</param>
public sealed record NatEvent(
    MappingBehaviour Mapping,
    string Local,
    string? Reflexive,
    bool PortPreserved,
    IReadOnlyList<NatServerAnswer> Servers,
    string? PortMapping,
    string? MappedAddress,
    DateTimeOffset? MappedUntil,
    IReadOnlyList<string> Ipv6,
    string? Ipv6Reflexive,
    MappingBehaviour? Ipv6Mapping,
    IReadOnlyList<NatCandidate> Candidates) : ClientEvent;

/// <param name="Server">HOST:PORT as given; <paramref name="Reflexive"/> or <paramref name="Error"/>.</param>
public sealed record NatServerAnswer(string Server, string? Reflexive, string? Error);

/// <param name="Kind">mapped, reflexive, ipv6 or lan.</param>
public sealed record NatCandidate(string Kind, string Address);

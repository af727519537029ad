// The one small contract every port-mapping protocol leaf (UPnP IGD, NAT-PMP, PCP) implements.
using System.Net;

namespace P2PChat.Core.Nat.PortMapping;

public enum PortMappingProtocol
{
    Upnp,
    NatPmp,
    Pcp,
}

/// <summary>
/// A UDP port the router forwards to us. <see cref="RenewAfter"/> is when the keeper should renew (half the
/// lifetime for NAT-PMP/PCP, as RFC 6886/6887 advise); <see cref="GoodUntil"/> is when the router forgets it.
/// </summary>
public interface IPortMapping
{
    PortMappingProtocol Protocol { get; }
    /// <summary>The public address and port others can send to.</summary>
    IPEndPoint External { get; }
    int InternalPort { get; }
    DateTimeOffset RenewAfter { get; }
    DateTimeOffset GoodUntil { get; }

    /// <summary>Asks the router again; updates the times (and External if the router moved it).</summary>
    /// <exception cref="PortMappingException">the router refused or did not answer.</exception>
    Task RenewAsync(CancellationToken ct);

    /// <summary>Deletes the mapping at the router; never throws (a failure is logged; the lease then just runs out).</summary>
    Task ReleaseAsync(CancellationToken ct);
}

/// <summary>One protocol leaf: finds out whether the gateway speaks it and maps a port with it.</summary>
public interface IPortMapper
{
    PortMappingProtocol Protocol { get; }

    /// <summary>Maps UDP <paramref name="internalPort"/>; null (with a log line) when the gateway does not speak this protocol or refuses.</summary>
    Task<IPortMapping?> TryMapAsync(int internalPort, TimeSpan lifetime, CancellationToken ct);
}

public class PortMappingException(string message) : Exception(message);

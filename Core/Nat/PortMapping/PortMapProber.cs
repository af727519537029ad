// Tries the protocol leaves in order and keeps the first mapping granted; the rest of the system sees only IPortMapping.
namespace P2PChat.Core.Nat.PortMapping;

/// <summary>
/// Sequential, in the given order (default UPnP, then PCP, then NAT-PMP: miniupnpd and most home routers answer
/// UPnP; PCP supersedes NAT-PMP where both exist). Worst case with no router support: 1.5 s + 3.75 s + 3.75 s.
/// </summary>
public sealed class PortMapProber(IReadOnlyList<IPortMapper> mappers, NatLog? log = null)
{
    /// <summary>Lifetime asked for: two hours (RFC 6886 recommends 7200 s).</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(2);

    public async Task<IPortMapping?> MapAsync(int internalPort, TimeSpan lifetime, CancellationToken ct)
    {
        foreach (var mapper in mappers)
        {
            var mapping = await mapper.TryMapAsync(internalPort, lifetime, ct).ConfigureAwait(false);
            if (mapping is not null)
            {
                log.Write($"{mapper.Protocol}: mapped {mapping.External} -> :{internalPort} until {mapping.GoodUntil:u}");
                return mapping;
            }
        }
        return null;
    }
}

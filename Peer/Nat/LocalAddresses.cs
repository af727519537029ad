// This machine's LAN addresses (IPv4 and IPv6) and which IPv6 ones are global, from the network interfaces.
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace P2PChat.Peer.Nat;

public static class LocalAddresses
{
    /// <summary>Unicast addresses of interfaces that are up, loopback excluded.</summary>
    public static IReadOnlyList<IPAddress> All()
    {
        try
        {
            return [.. NetworkInterface.GetAllNetworkInterfaces()
                .Where(n => n.OperationalStatus != OperationalStatus.Down && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
                .SelectMany(n => n.GetIPProperties().UnicastAddresses.Select(u => u.Address))
                .Where(a => !IPAddress.IsLoopback(a))];
        }
        catch (NetworkInformationException) { return []; }
    }

    /// <summary><paramref name="addresses"/> plus 127.0.0.1 and ::1 (a server on loopback sees those: no NAT).</summary>
    public static IReadOnlyList<IPAddress> WithLoopback(IReadOnlyList<IPAddress> addresses) => [.. addresses, IPAddress.Loopback, IPAddress.IPv6Loopback];

    /// <summary>Global unicast IPv6 (2000::/3): not link-local, site-local, unique-local (fc00::/7), Teredo or 6to4-mapped IPv4.</summary>
    public static bool IsGlobalIpv6(IPAddress a) =>
        a.AddressFamily == AddressFamily.InterNetworkV6 && !a.IsIPv6LinkLocal && !a.IsIPv6SiteLocal && !a.IsIPv6UniqueLocal
        && !a.IsIPv6Teredo && !a.IsIPv4MappedToIPv6 && (a.GetAddressBytes()[0] & 0xE0) == 0x20;
}

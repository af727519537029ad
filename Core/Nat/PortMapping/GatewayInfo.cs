// Where the default gateway is and which of our addresses faces it (Linux /proc/net/route; a UDP "connect" for the address).
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace P2PChat.Core.Nat.PortMapping;

public static class GatewayInfo
{
    /// <summary>
    /// The IPv4 default gateway from /proc/net/route (a line with Destination 00000000 and the RTF_GATEWAY flag; the
    /// address is little-endian hex), or null when there is none or the file cannot be read.
    /// </summary>
    public static IPAddress? DefaultGateway(string routeTable = "/proc/net/route")
    {
        try
        {
            foreach (var line in File.ReadLines(routeTable).Skip(1))
                if (ParseDefaultRoute(line) is { } gateway) return gateway;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return null;
    }

    /// <summary>One /proc/net/route line → its gateway if it is a default route via a gateway. Pure.</summary>
    public static IPAddress? ParseDefaultRoute(string line)
    {
        var f = line.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
        if (f.Length < 4 || f[1] != "00000000") return null;
        if (!uint.TryParse(f[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var gw) || gw == 0) return null;
        if (!int.TryParse(f[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var flags) || (flags & 0x2) == 0) return null;
        return new IPAddress(BitConverter.GetBytes(gw));   // the kernel prints the address in host (little-endian) order
    }

    /// <summary>Our address on the path to <paramref name="remote"/> (no packet is sent: a UDP connect only picks a route).</summary>
    public static IPAddress? LocalAddressToward(IPAddress remote)
    {
        try
        {
            using var s = new Socket(remote.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            s.Connect(new IPEndPoint(remote, 9));
            return ((IPEndPoint)s.LocalEndPoint!).Address;
        }
        catch (SocketException) { return null; }
    }
}

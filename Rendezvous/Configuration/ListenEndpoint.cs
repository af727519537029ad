// Parses the --listen value (HOST:PORT, IPv6 in brackets) into an IPEndPoint.
using System.Net;

namespace P2PChat.Rendezvous.Configuration;

public static class ListenEndpoint
{
    /// <summary>"127.0.0.1:7777", "[::1]:7777", "0.0.0.0:0", "localhost:7777".</summary>
    /// <exception cref="FormatException">not HOST:PORT.</exception>
    public static IPEndPoint Parse(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !ushort.TryParse(text.AsSpan(colon + 1), out var port))
            throw new FormatException($"--listen expects HOST:PORT, got '{text}'");
        var host = text[..colon].Trim('[', ']');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return new IPEndPoint(IPAddress.Loopback, port);
        if (host is "*" or "") return new IPEndPoint(IPAddress.Any, port);
        if (!IPAddress.TryParse(host, out var address))
            throw new FormatException($"--listen expects an IP address or localhost, got '{host}'");
        return new IPEndPoint(address, port);
    }
}

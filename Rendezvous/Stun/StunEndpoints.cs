// Which UDP endpoints the STUN service binds, from the "Stun" option and the TCP listen endpoint.
using System.Net;
using P2PChat.Rendezvous.Configuration;
using P2PChat.Rendezvous.Hosting;

namespace P2PChat.Rendezvous.Stun;

public static class StunEndpoints
{
    /// <summary>
    /// "auto" (default): the TCP listen address on UDP ports P and P+1 (P = the bound TCP port; two ports let peers
    /// tell endpoint-independent from per-destination mapping); "off": none; otherwise a comma-separated list of
    /// HOST:PORT (port 0 picks a free port).
    /// </summary>
    /// <exception cref="FormatException">a list item is not HOST:PORT.</exception>
    public static IReadOnlyList<IPEndPoint> Resolve(string option, IPEndPoint tcp)
    {
        var text = option.Trim();
        if (text.Equals("off", StringComparison.OrdinalIgnoreCase)) return [];
        if (text.Length == 0 || text.Equals("auto", StringComparison.OrdinalIgnoreCase))
            return tcp.Port is 0 or 65535 ? [new(tcp.Address, tcp.Port)] : [new(tcp.Address, tcp.Port), new(tcp.Address, tcp.Port + 1)];
        return [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ListenEndpoint.Parse)];
    }
}

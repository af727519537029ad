// The STUN servers a peer asks: --stun HOST:PORT (repeatable), else the rendezvous server's host on ports P and P+1.
using System.Net;
using System.Net.Sockets;
using P2PChat.Peer.Server;

namespace P2PChat.Peer.Nat;

public static class StunServerList
{
    /// <summary>The texts to resolve: the --stun values, or the server host on its port and the next (the server's "auto").</summary>
    public static IReadOnlyList<ServerAddress> Choose(IReadOnlyList<ServerAddress> given, ServerAddress? server) =>
        given.Count > 0 ? given
        : server is null ? []
        : server.Port < 65535 ? [server, server with { Port = server.Port + 1 }] : [server];

    /// <summary>Resolves each to one address (IPv4 first, then IPv6); a name that does not resolve is reported, not thrown.</summary>
    public static async Task<IReadOnlyList<(ServerAddress Given, IPEndPoint? EndPoint, string? Error)>> ResolveAsync(
        IReadOnlyList<ServerAddress> servers, CancellationToken ct)
    {
        var result = new List<(ServerAddress, IPEndPoint?, string?)>();
        foreach (var s in servers)
        {
            if (IPAddress.TryParse(s.Host, out var literal)) { result.Add((s, new IPEndPoint(literal, s.Port), null)); continue; }
            try
            {
                var addresses = await Dns.GetHostAddressesAsync(s.Host, ct).ConfigureAwait(false);
                var pick = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
                result.Add(pick is null ? (s, null, "no address") : (s, new IPEndPoint(pick, s.Port), null));
            }
            catch (SocketException e) { result.Add((s, null, e.Message)); }
        }
        return result;
    }
}

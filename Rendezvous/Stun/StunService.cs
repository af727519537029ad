// Starts and stops the server's STUN listeners as the "Stun" option says, logging where each one answers.
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace P2PChat.Rendezvous.Stun;

public sealed class StunService : IDisposable
{
    private StunService(IReadOnlyList<StunListener> listeners) => Listeners = listeners;

    public IReadOnlyList<StunListener> Listeners { get; }

    /// <summary>
    /// Binds every endpoint of <paramref name="option"/>. With "auto", a port already taken is replaced by a free one
    /// (logged); with an explicit list, a bind failure stops the server (SocketException).
    /// </summary>
    public static StunService Start(string option, IPEndPoint tcp, TimeProvider time, ILogger log)
    {
        bool auto = option.Trim() is "" || option.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase);
        var listeners = new List<StunListener>();
        try
        {
            foreach (var endpoint in StunEndpoints.Resolve(option, tcp))
            {
                StunListener listener;
                try { listener = StunListener.Bind(endpoint, log, time); }
                catch (SocketException e) when (auto)
                {
                    log.LogWarning("stun: udp/{Endpoint} is taken ({Message}); using a free port instead", endpoint, e.Message);
                    listener = StunListener.Bind(new IPEndPoint(endpoint.Address, 0), log, time);
                }
                listeners.Add(listener);
            }
        }
        catch
        {
            foreach (var l in listeners) l.Dispose();
            throw;
        }
        if (listeners.Count == 0) log.LogInformation("stun: off");
        else log.LogInformation("stun answering on {Endpoints}", string.Join(' ', listeners.Select(l => "udp/" + l.LocalEndPoint)));
        return new StunService(listeners);
    }

    public void Dispose()
    {
        foreach (var l in Listeners) l.Dispose();
    }
}

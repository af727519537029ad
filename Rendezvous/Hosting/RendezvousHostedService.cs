// Runs the rendezvous server inside the generic host: opens the store, starts the server, stops both on shutdown.
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P2PChat.Rendezvous.Configuration;
using P2PChat.Rendezvous.Network;
using P2PChat.Rendezvous.Storage;

namespace P2PChat.Rendezvous.Hosting;

/// <summary>On SIGTERM/Ctrl+C the host calls <see cref="StopAsync"/>: the server stops accepting, sends STATUS 27
/// to every session after their queued frames, and only then is the store (and its pending writes) closed.</summary>
public sealed class RendezvousHostedService(IOptions<RendezvousOptions> options, TimeProvider time, ILoggerFactory loggers) : IHostedService
{
    private IRendezvousStore? _store;
    private RendezvousServer? _server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        ListenEndpoint.Parse(o.Listen);   // a bad --listen fails before anything is created in the data folder
        _store = await SqliteRendezvousStore.OpenAsync(o.DataDirectory, new SqliteStoreOptions { TimeProvider = time }, cancellationToken);
        _server = new RendezvousServer(o, _store, time, loggers);
        await _server.StartAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null) await _server.DisposeAsync();
        if (_store is not null) await _store.DisposeAsync();
    }
}

// Runs the rendezvous server inside the generic host: opens the store, starts the server, stops both on shutdown.
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P2PChat.Rendezvous.Configuration;
using P2PChat.Rendezvous.Network;
using P2PChat.Rendezvous.Storage;
using P2PChat.Rendezvous.Stun;

namespace P2PChat.Rendezvous.Hosting;

/// <summary>On SIGTERM/Ctrl+C the host calls <see cref="StopAsync"/>: the server stops accepting, sends STATUS 27
/// to every session after their queued frames, and only then is the store (and its pending writes) closed.</summary>
public sealed class RendezvousHostedService(IOptions<RendezvousOptions> options, TimeProvider time, ILoggerFactory loggers) : IHostedService
{
    private IRendezvousStore? _store;
    private RendezvousServer? _server;
    private StunService? _stun;
    private MemoryTrimmer? _trimmer;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        ListenEndpoint.Parse(o.Listen);   // a bad --listen fails before anything is created in the data folder
        StunEndpoints.Resolve(o.Stun, new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0)); // so does a bad --stun
        _store = await SqliteRendezvousStore.OpenAsync(o.DataDirectory, o.StoreOptions(time), cancellationToken);
        _server = new RendezvousServer(o, _store, time, loggers);
        await _server.StartAsync(cancellationToken);
        _stun = StunService.Start(o.Stun, _server.Endpoint, time, loggers.CreateLogger("P2PChat.Rendezvous.Stun"));
        if (o.MemoryTrimSeconds > 0)
        {
            _trimmer = new MemoryTrimmer(TimeSpan.FromSeconds(o.MemoryTrimSeconds), loggers.CreateLogger("P2PChat.Rendezvous.Memory"));
            _trimmer.Start();
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stun?.Dispose();
        if (_trimmer is not null) await _trimmer.DisposeAsync();
        if (_server is not null) await _server.DisposeAsync();
        if (_store is not null) await _store.DisposeAsync();
    }
}

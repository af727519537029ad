// One test's world: a temp folder, a real server process and any number of headless peer processes, all cleaned up.
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.EndToEnd.Tests.Processes;

public sealed class Cluster : IAsyncDisposable
{
    public const string Password = "correct horse";
    private readonly TempDirectory _folder = new("p2pchat-e2e");
    private readonly List<PeerProcess> _peers = [];

    private Cluster() { }

    public ServerProcess Server { get; private set; } = null!;
    public string ServerData => _folder.Combine("server");

    /// <param name="serverArgs">more server options (see <see cref="ServerProcess.StartAsync"/>).</param>
    public static async Task<Cluster> StartAsync(params string[] serverArgs)
    {
        var cluster = new Cluster();
        try { cluster.Server = await ServerProcess.StartAsync(cluster.ServerData, extraArgs: serverArgs); }
        catch { await cluster.DisposeAsync(); throw; }
        return cluster;
    }

    /// <summary>
    /// Kills the server (SIGKILL) and starts a new one on the same data folder and port. The port may be briefly
    /// unavailable after the kill: a server that exits at start is started again, a few times.
    /// </summary>
    public async Task RestartServerAsync(bool killFirst = true)
    {
        if (killFirst) await Server.KillAsync();
        await Server.DisposeAsync();
        var address = Server.Address;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Server = await ServerProcess.StartAsync(ServerData, address);
                return;
            }
            catch (InvalidOperationException) when (attempt < 5) { } // exited at start: most likely the bind
        }
    }

    /// <summary>Starts a headless peer whose profile folder is named after <paramref name="name"/>.</summary>
    public PeerProcess Peer(string name, IEnumerable<string>? extraArgs = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        // Tests send only to loopback: no router is asked for a port mapping, and links offer 127.0.0.1 only.
        var peer = new PeerProcess(name, Server.Address, _folder.Combine("profiles", name),
            ["--no-port-mapping", "--loopback-links-only", .. extraArgs ?? []], environment);
        peer.Neighbours = () => [.. _peers];
        _peers.Add(peer);
        return peer;
    }

    /// <summary>A peer that has registered <paramref name="name"/> and signed in.</summary>
    public async Task<PeerProcess> SignedUpAsync(string name, IEnumerable<string>? extraArgs = null)
    {
        var peer = Peer(name, extraArgs);
        await peer.SendAsync($"/register {name} \"{Password}\" nickname={name.ToUpperInvariant()}");
        await peer.WaitForAsync("registered", e => e.Is("user", name));
        return await SignedInAsync(peer, name);
    }

    /// <summary>Signs up and waits until the peer's prekeys are on the server (STATUS 18 answering PREKEYS).</summary>
    public async Task<PeerProcess> WithKeysAsync(string name, IEnumerable<string>? extraArgs = null)
    {
        var peer = await SignedUpAsync(name, extraArgs);
        await peer.WaitForAsync("status", e => e.Is("command", "prekeys"));
        return peer;
    }

    public static async Task<PeerProcess> SignedInAsync(PeerProcess peer, string name)
    {
        await peer.SendAsync($"/login {name} \"{Password}\"");
        await peer.WaitForAsync("signed_in", e => e.Is("user", name));
        return peer;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var peer in _peers) Assert.Empty(peer.BadLines);
        foreach (var peer in _peers) await peer.DisposeAsync();
        if (Server is not null) await Server.DisposeAsync();
        _folder.Dispose();
    }
}

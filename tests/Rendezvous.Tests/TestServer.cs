// An in-process rendezvous server for tests: real TLS on a loopback port, a SQLite file in a temp folder,
// cheap password hashing, and optionally a manual clock.
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using P2PChat.Core.Protocol;
using P2PChat.Rendezvous.Configuration;
using P2PChat.Rendezvous.Network;
using P2PChat.Rendezvous.Storage;
using P2PChat.TestSupport;

namespace P2PChat.Rendezvous.Tests;

internal sealed class TestServer : IAsyncDisposable
{
    private readonly bool _ownsFolder;

    private readonly Func<IRendezvousStore, IRendezvousStore> _wrapStore;

    private TestServer(RendezvousOptions options, TimeProvider time, TempDirectory folder, bool ownsFolder, Func<IRendezvousStore, IRendezvousStore>? wrapStore)
    {
        _wrapStore = wrapStore ?? (s => s);
        Options = options;
        Time = time;
        Folder = folder;
        _ownsFolder = ownsFolder;
    }

    public RendezvousOptions Options { get; }
    public TimeProvider Time { get; }
    public TempDirectory Folder { get; }
    public SqliteRendezvousStore Store { get; private set; } = null!;
    public RendezvousServer Server { get; private set; } = null!;
    public System.Net.IPEndPoint Endpoint => Server.Endpoint;
    public string Fingerprint => Server.Fingerprint;

    /// <summary>Test defaults: port 0, cheap Argon2id (64 KiB, 1 pass), no sign-up throttle or one-time prekey budgets, no roster-delta delay, the given clock (system time if none).</summary>
    /// <param name="wrapStore">lets a test put a decorator (e.g. one that fails on purpose) between server and store.</param>
    public static async Task<TestServer> StartAsync(Action<RendezvousOptions>? configure = null, TimeProvider? time = null, TempDirectory? folder = null,
        Func<IRendezvousStore, IRendezvousStore>? wrapStore = null)
    {
        var dir = folder ?? new TempDirectory("p2pchat-rendezvous");
        // Tests register many users from 127.0.0.1: the sign-up throttle is opened up unless a test narrows it again.
        var options = new RendezvousOptions { Listen = "127.0.0.1:0", DataDirectory = dir.Path, PasswordMemoryKib = 64, PasswordPasses = 1,
            MaxSignUpsPerAddress = 100_000, MaxSignUpsGlobal = 100_000,
            OneTimePrekeysPerTargetPerHour = 100_000, OneTimePrekeysPerRequesterPerHour = 100_000,
            // Roster deltas at once, as before the flush delay existed (tests on the manual clock need not advance it for them).
            RosterDeltaDelayMs = 0 };
        configure?.Invoke(options);
        var server = new TestServer(options, time ?? TimeProvider.System, dir, ownsFolder: folder is null, wrapStore);
        await server.OpenAsync();
        return server;
    }

    public Task<TestClient> ConnectAsync(bool hello = true, System.Net.IPAddress? from = null) => TestClient.ConnectAsync(Endpoint, Fingerprint, hello, from);

    /// <summary>Registers <paramref name="username"/> on a throw-away connection (the user stays offline); returns its tag.</summary>
    public async Task<Tag> RegisteredAsync(string username, string password = "password1", System.Net.IPAddress? from = null)
    {
        await using var setup = await ConnectAsync(from: from);
        return (await setup.RegisterAsync(username, password)).Subject;
    }

    /// <summary>A new client, registered as <paramref name="username"/> and signed in.</summary>
    public async Task<TestClient> SignedInAsync(string username, string password = "password1")
    {
        var client = await ConnectAsync();
        await client.RegisterAndSignInAsync(username, password);
        return client;
    }

    /// <summary>Stops the server and closes the store, then starts both again on the same folder (and port 0).</summary>
    public async Task RestartAsync()
    {
        await CloseAsync();
        await OpenAsync();
    }

    private async Task OpenAsync()
    {
        Store = await SqliteRendezvousStore.OpenAsync(Options.DataDirectory, Options.StoreOptions(Time), TestClient.Ct);
        Server = new RendezvousServer(Options, _wrapStore(Store), Time, DebugLog);
        await Server.StartAsync(TestClient.Ct);
    }

    private async Task CloseAsync()
    {
        await Server.DisposeAsync();
        await Store.DisposeAsync();
    }

    /// <summary>P2PCHAT_TEST_LOG=1 shows the server's debug log on stderr while a test runs.</summary>
    private static readonly ILoggerFactory? DebugLog = Environment.GetEnvironmentVariable("P2PCHAT_TEST_LOG") == "1"
        ? LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddSimpleConsole(o => o.SingleLine = true)
            .Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace))
        : null;

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        if (_ownsFolder) Folder.Dispose();
    }
}

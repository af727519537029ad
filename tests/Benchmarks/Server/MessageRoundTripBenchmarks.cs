// Server speed: a PM delivered live, and a PM committed to disk for an offline user, next to a bare TLS round trip.
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using P2PChat.Core.Framing;
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Rendezvous.Configuration;
using P2PChat.Rendezvous.Network;
using P2PChat.Rendezvous.Storage;

namespace P2PChat.Benchmarks.Server;

/// <summary>
/// Each benchmark is one request answered: the client sends MSG and waits for its MSG_ACK. The baseline does the same
/// against <see cref="TlsEchoServer"/> (TLS, framing, loopback, no server logic), so the ratios say what the
/// rendezvous server adds: session dispatch, lookups, live delivery to the recipient (whose socket a background
/// reader drains), or for an offline recipient a durable SQLite commit (WAL, synchronous=FULL) before the answer.
/// Flood limits are lifted and password hashing lowered so they do not dominate; everything else is the real server.
/// </summary>
[MemoryDiagnoser]
public class MessageRoundTripBenchmarks
{
    private static readonly byte[] Text = new byte[140];
    private string _data = "";
    private SqliteRendezvousStore _store = null!;
    private RendezvousServer _server = null!;
    private TlsEchoServer _echo = null!;
    private FrameConnection _echoClient = null!, _alice = null!, _bob = null!;
    private Tag _bobTag, _carolTag;
    private Task _drainBob = Task.CompletedTask;
    private uint _request;

    // BenchmarkDotNet's in-process toolchain does not await an async GlobalSetup/GlobalCleanup reliably: block on them.
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        _data = Path.Combine(Path.GetTempPath(), $"p2pchat-bench-{Guid.NewGuid():N}");
        _store = await SqliteRendezvousStore.OpenAsync(_data, new SqliteStoreOptions { MaxOfflineMessagesPerRecipient = null });
        var options = new RendezvousOptions
        {
            Listen = "127.0.0.1:0", DataDirectory = _data, PasswordMemoryKib = 64, PasswordPasses = 1,
            MaxCommandsPerWindow = int.MaxValue, HeartbeatTimeoutSeconds = 3600, SendQueueCapacity = 1 << 20,
            MaxSignUpsPerAddress = int.MaxValue, MaxSignUpsGlobal = int.MaxValue,
        };
        _server = new RendezvousServer(options, _store, TimeProvider.System, NullLoggerFactory.Instance);
        await _server.StartAsync(default);
        _echo = new TlsEchoServer();
        _echoClient = await BenchClient.ConnectAsync(_echo.Endpoint, hello: false);

        _alice = await BenchClient.SignedInAsync(_server.Endpoint, "alice");
        _bob = await BenchClient.SignedInAsync(_server.Endpoint, "bob");
        var carol = await BenchClient.SignedInAsync(_server.Endpoint, "carol");
        await carol.SendAsync(new Quit(), default);
        await carol.DisposeAsync();
        _bobTag = (await Resolve("bob")).Tag;
        _carolTag = (await Resolve("carol")).Tag;
        _drainBob = Task.Run(async () => { try { while (await _bob.ReadAsync(default) is not null) { } } catch (Exception) { } });
    }

    private async Task<AddUser> Resolve(string user)
    {
        await _alice.SendAsync(new Resolve(user), default);
        return await BenchClient.UntilAsync<AddUser>(_alice, a => a.Username == user);
    }

    [Benchmark(Baseline = true, Description = "TLS round trip, no server logic (baseline)")]
    public async Task TlsEcho()
    {
        await _echoClient.SendAsync(new MsgSend(_bobTag, Text, ++_request, MessageFlags.None), default);
        await BenchClient.UntilAsync<MsgAck>(_echoClient);
    }

    [Benchmark(Description = "PM to an online user: MSG -> delivered -> MSG_ACK")]
    public async Task LivePm()
    {
        await _alice.SendAsync(new MsgSend(_bobTag, Text, ++_request, MessageFlags.None), default);
        await BenchClient.UntilAsync<MsgAck>(_alice);
    }

    [Benchmark(Description = "PM to an offline user: MSG -> fsync'd in SQLite -> MSG_ACK")]
    public async Task OfflinePm()
    {
        await _alice.SendAsync(new MsgSend(_carolTag, Text, ++_request, MessageFlags.None), default);
        await BenchClient.UntilAsync<MsgAck>(_alice);
    }

    private async Task CleanupAsync()
    {
        await _echoClient.DisposeAsync();
        await _alice.DisposeAsync();
        await _bob.DisposeAsync();
        await _drainBob;
        await _echo.DisposeAsync();
        await _server.DisposeAsync();
        await _store.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }
}

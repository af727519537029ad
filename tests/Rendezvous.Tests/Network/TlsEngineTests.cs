// The server's TLS engine switch: the record layer by default, SslStream on request or when libssl cannot be used.
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Rendezvous.Configuration;
using P2PChat.Rendezvous.Network;
using P2PChat.Rendezvous.Storage;
using P2PChat.Rendezvous.Tls;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Network;

public sealed class TlsEngineTests
{
    [Fact]
    public async Task The_record_layer_is_the_default_and_carries_a_session()
    {
        await using var server = await TestServer.StartAsync();
        var accepted = new System.Collections.Concurrent.ConcurrentQueue<Stream>();
        server.Server.TlsAccepted = accepted.Enqueue;
        Assert.Equal(TlsEngine.Records, server.Server.Engine);
        await using var alice = await server.SignedInAsync("alice");
        await using var bob = await server.SignedInAsync("bob");
        await alice.SendAsync(new Ping(7));
        Assert.Equal(7u, (await alice.ExpectAsync<Pong>()).Nonce);
        Assert.All(accepted, s => Assert.IsType<TlsRecordStream>(s));
        Assert.NotEmpty(accepted);
    }

    [Fact]
    public async Task SslStream_stays_available_as_an_option()
    {
        await using var server = await TestServer.StartAsync(o => o.TlsEngine = TlsEngine.SslStream);
        var accepted = new System.Collections.Concurrent.ConcurrentQueue<Stream>();
        server.Server.TlsAccepted = accepted.Enqueue;
        Assert.Equal(TlsEngine.SslStream, server.Server.Engine);
        await using var alice = await server.SignedInAsync("alice");
        await alice.SendAsync(new Ping(8));
        Assert.Equal(8u, (await alice.ExpectAsync<Pong>()).Nonce);
        Assert.All(accepted, s => Assert.IsType<SslStream>(s));
    }

    [Fact]
    public async Task Without_a_usable_libssl_the_server_falls_back_to_SslStream_with_one_warning()
    {
        using var folder = new TempDirectory("p2pchat-rendezvous");
        var warnings = new List<string>();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(new ListProvider(warnings)));
        var options = new RendezvousOptions { Listen = "127.0.0.1:0", DataDirectory = folder.Path, PasswordMemoryKib = 64, PasswordPasses = 1 };
        await using var store = await SqliteRendezvousStore.OpenAsync(folder.Path, options.StoreOptions(TimeProvider.System), TestClient.Ct);
        await using var server = new RendezvousServer(options, store, TimeProvider.System, loggers)
        {
            TlsContextFactory = _ => throw new TlsUnavailableException("DllNotFoundException: libssl.so.3 (played by the test)"),
        };
        await server.StartAsync(TestClient.Ct);
        Assert.Equal(TlsEngine.SslStream, server.Engine);
        await using var client = await TestClient.ConnectAsync(server.Endpoint, server.Fingerprint);   // HELLO answered
        lock (warnings) Assert.Single(warnings, w => w.Contains("TLS engine Records unavailable") && w.Contains("libssl.so.3"));
    }

    [Fact]
    public async Task A_client_sending_garbage_after_the_handshake_loses_only_its_own_connection()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.SignedInAsync("alice");
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Endpoint, TestClient.Ct);
        await using var tls = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "p2pchat-rendezvous", EnabledSslProtocols = SslProtocols.Tls13 }, TestClient.Ct);
        await tcp.GetStream().WriteAsync((byte[])[23, 3, 3, 0, 30, .. new byte[30]], TestClient.Ct);   // does not authenticate
        // The server answers with a bad_record_mac alert and closes: the client's read fails or ends, never data.
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            if (await tls.ReadAsync(new byte[64], TestClient.Ct) == 0) throw new EndOfStreamException();
        });
        await alice.SendAsync(new Ping(9));
        Assert.Equal(9u, (await alice.ExpectAsync<Pong>()).Nonce);
    }

    private sealed class ListProvider(List<string> warnings) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(warnings);
        public void Dispose() { }
    }

    private sealed class ListLogger(List<string> warnings) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Warning) lock (warnings) warnings.Add(formatter(state, exception));
        }
    }
}

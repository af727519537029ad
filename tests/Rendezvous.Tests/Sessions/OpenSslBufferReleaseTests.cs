// SSL_MODE_RELEASE_BUFFERS over real TLS: set on every accepted connection (read back through the same SSL handle),
// not set when switched off, and traffic of every size still flows between the idle periods in which OpenSSL frees the buffers.
using System.Collections.Concurrent;
using System.Net.Security;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Rendezvous.Configuration;
using P2PChat.Rendezvous.Sessions;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Sessions;

public sealed class OpenSslBufferReleaseTests
{
    private const int LargeMessage = 60_000;   // four TLS records each way (16 KiB of plaintext per record)

    [Fact]
    public async Task Accepted_connections_have_the_mode_and_messages_of_every_size_flow_across_idle_periods()
    {
        var (server, accepted) = await ServerAsync(o => o.MaxMessageBytes = LargeMessage);
        await using var _ = server;
        await using var alice = await server.SignedInAsync("alice");
        await using var bob = await server.SignedInAsync("bob");
        RequireOpenSsl(accepted);
        // A stream without a TLS session gets a reason, not an exception, and does not switch the feature off for the others.
        await using (var unauthenticated = new SslStream(new MemoryStream()))
            Assert.NotNull(OpenSslBufferRelease.TryApply(unauthenticated, why => Assert.Fail($"reported as unavailable: {why}")));

        // Each round ends with both sides answered (ACK, delivery, PONG): the server's SSL objects then hold no pending
        // bytes, which is when OpenSSL frees their record buffers; the next round must find them allocated again.
        var sizes = new[] { LargeMessage, 1, LargeMessage, 16_384, 16_385, 7, LargeMessage };
        for (var round = 0; round < sizes.Length; round++)
        {
            var (from, to) = round % 2 == 0 ? (alice, bob) : (bob, alice);
            var text = new string((char)('a' + round), sizes[round]);
            await from.MessageAsync(to.Tag, text);
            var delivered = await to.ExpectAsync<MsgDeliver>();
            Assert.Equal(text, TestClient.Text(delivered));
            await from.SyncAsync();
            await to.SyncAsync();
        }

        // Both connections the server accepted still have the mode after all that.
        Assert.Equal(2, accepted.Count);
        foreach (var tls in accepted)
            Assert.Equal(OpenSslBufferRelease.ReleaseBuffersMode, OpenSslBufferRelease.ModeOf(tls)!.Value & OpenSslBufferRelease.ReleaseBuffersMode);
    }

    [Fact]
    public async Task Switched_off_the_mode_is_left_as_dotnet_sets_it()
    {
        var (server, accepted) = await ServerAsync(o => o.ReleaseTlsBuffers = false);
        await using var _ = server;
        await using var alice = await server.SignedInAsync("alice");
        RequireOpenSsl(accepted);

        var tls = Assert.Single(accepted);
        Assert.Equal(0, OpenSslBufferRelease.ModeOf(tls)!.Value & OpenSslBufferRelease.ReleaseBuffersMode);
    }

    /// <summary>A server whose accepted TLS streams are collected; the test is skipped (failed under CI) where the first
    /// one's OpenSSL handle cannot be reached (not Linux, another runtime layout): there the feature does nothing.</summary>
    private static async Task<(TestServer, ConcurrentQueue<SslStream>)> ServerAsync(Action<RendezvousOptions> configure)
    {
        var server = await TestServer.StartAsync(o => { o.TlsEngine = TlsEngine.SslStream; configure(o); });
        var accepted = new ConcurrentQueue<SslStream>();
        server.Server.TlsAccepted = s => { if (s is SslStream tls) accepted.Enqueue(tls); };
        return (server, accepted);
    }

    private static void RequireOpenSsl(ConcurrentQueue<SslStream> accepted) =>
        Require.That(accepted.TryPeek(out var tls) && OpenSslBufferRelease.ModeOf(tls) is not null,
            "the OpenSSL handle of SslStream is not reachable on this platform or runtime");
}

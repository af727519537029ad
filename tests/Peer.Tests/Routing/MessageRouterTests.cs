// The message router: the one place a PM goes through offers it to its routes in order, first taker wins.
using System.Text;
using P2PChat.Core.Protocol;
using P2PChat.Peer.E2e;
using P2PChat.Peer.Events;
using P2PChat.Peer.Routing;
using P2PChat.Peer.Server;
using P2PChat.Peer.Tests.Fakes;
using Xunit;

namespace P2PChat.Peer.Tests.Routing;

public sealed class MessageRouterTests : IAsyncDisposable
{
    private static readonly Tag Bob = Tag.User(2);
    private readonly ListEventSink _events = new();
    private readonly ServerConnection _server;
    private readonly EndToEnd _plain;

    public MessageRouterTests()
    {
        _server = new ServerConnection(new ServerConnectionOptions(new ServerAddress("127.0.0.1", 1)), _events);
        _plain = new EndToEnd(_events, TimeProvider.System, profileFolder: null); // no keys: text PMs go as UTF-8
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _plain.Dispose();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class FakeRoute(string name, bool takes) : IMessageRoute
    {
        public List<ContactMessage> Offered { get; } = [];
        public string Name => name;

        public ValueTask<bool> TrySendAsync(ContactMessage message, CancellationToken ct)
        {
            Offered.Add(message);
            return ValueTask.FromResult(takes);
        }
    }

    [Fact]
    public async Task A_route_that_cannot_carry_the_message_passes_it_to_the_next()
    {
        var direct = new FakeRoute("direct", takes: false);
        var fallback = new FakeRoute("fallback", takes: true);
        var router = new MessageRouter(_server, _plain, [direct, fallback]);

        await router.SendTextAsync(Bob, "hello", Ct);

        var first = Assert.Single(direct.Offered);
        Assert.Same(first, Assert.Single(fallback.Offered)); // the same message, not made again
        Assert.Equal("hello", Encoding.UTF8.GetString(first.Body));
        Assert.False(first.Encrypted);
        Assert.Equal(Bob, first.To);
    }

    [Fact]
    public async Task A_route_added_first_is_tried_before_the_others_and_the_first_taker_has_it()
    {
        var server = new FakeRoute("server", takes: true);
        var router = new MessageRouter(_server, _plain, [server]);
        var direct = new FakeRoute("direct", takes: true);
        router.AddFirst(direct);

        await router.SendTextAsync(Bob, "hi", Ct);

        Assert.Equal(["direct", "server"], router.Routes.Select(r => r.Name));
        Assert.Single(direct.Offered);
        Assert.Empty(server.Offered);
    }

    [Fact]
    public async Task No_route_taking_the_message_fails_the_command()
    {
        var router = new MessageRouter(_server, _plain, [new FakeRoute("direct", takes: false)]);

        var e = await Assert.ThrowsAsync<CommandFailedException>(() => router.SendTextAsync(Bob, "hi", Ct));

        Assert.Equal((int)PeerErrorCode.NotConnected, e.Code);
    }

    [Fact]
    public void The_default_router_sends_through_the_server()
    {
        var router = new MessageRouter(_server, _plain);

        Assert.IsType<ServerRoute>(Assert.Single(router.Routes));
    }
}

// The client's side of a paged general channel: /who #general lists it a page at a time with ROSTER_PAGE, never with UPD.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Peer.Events;
using P2PChat.Peer.Server;
using P2PChat.Peer.Session;
using P2PChat.Peer.Tests.Fakes;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Peer.Tests.Server;

public sealed class RosterPagingTests : IAsyncLifetime
{
    private static readonly Tag Alice = Tag.User(1), Bob = Tag.User(2), Carol = Tag.User(3), Dave = Tag.User(4);
    private readonly FakeServer _server = new();
    private readonly ListEventSink _events = new();
    private ChatSession _client = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _client = new ChatSession(new ServerConnectionOptions(new ServerAddress("127.0.0.1", _server.Port))
        {
            Connector = _server.Connector,
            Time = new ManualTimeProvider(),
        }, _events, null);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
    }

    private static AddUser Card(Tag tag, string name, Presence presence = Presence.Online) => new(tag, name, name, presence, "", UserFlags.None, []);

    /// <summary>Signs alice in to a server whose general channel is paged (STATUS 37 in the burst instead of its member list).</summary>
    private async Task<FakeSession> SignInToPagedServerAsync()
    {
        var session = await _server.ConnectAsync(_client);
        var login = _client.LoginAsync("alice", "secret", Ct);
        await session.ReadAsync<Iam>();
        await session.SendAsync([
            new IamOk(Alice, false, 0, "alice"),
            Card(Alice, "alice"),
            new AddChannel(Tag.General, "general", ChannelFlags.None, ""),
            new Status(StatusCode.RosterPaged, Opcode.Iam, Tag.General, 1500, ""),
            new Upd(Alice, [], []),
            new Status(StatusCode.AuthOk, Opcode.Iam, Alice, 0, ""),
        ]);
        await login;
        return session;
    }

    [Fact]
    public async Task Who_general_on_a_paged_server_walks_the_roster_page_by_page_and_says_when_it_ends()
    {
        var session = await SignInToPagedServerAsync();

        var first = _client.WhoAsync("#general", more: false, Ct);
        Assert.Equal(new RosterPageRequest(Tag.General, Tag.None, ServerFrameHandler.RosterPageSize), await session.ReadAsync<RosterPageRequest>());
        await first;
        // Dave went offline after the page was cut; he is not listed even though the directory knows him.
        await session.SendAsync(new Roster([Card(Bob, "bob"), Card(Dave, "dave", Presence.Offline)]), new RosterPageEnd(Tag.General, Tag.None, Bob, 1500));
        var page1 = await _events.WaitForAsync<RosterPageEvent>();
        Assert.Equal(new RosterPageEvent("#general", 2, 1500, More: true), page1);
        Assert.Equal(["alice", "bob"], _events.Events.OfType<MembersEvent>().Last().Members);

        var second = _client.WhoAsync("#general", more: true, Ct);
        Assert.Equal(new RosterPageRequest(Tag.General, Bob, ServerFrameHandler.RosterPageSize), await session.ReadAsync<RosterPageRequest>());
        await second;
        await session.SendAsync(Card(Carol, "carol"), new RosterPageEnd(Tag.General, Bob, Tag.None, 1501));
        Assert.Equal(new RosterPageEvent("#general", 1, 1501, More: false), await _events.WaitForAsync<RosterPageEvent>(p => !p.More));
        Assert.Equal(["carol"], _events.Events.OfType<MembersEvent>().Last().Members);

        var past = await Assert.ThrowsAsync<CommandFailedException>(() => _client.WhoAsync("#general", more: true, Ct));
        Assert.Contains("last page", past.Message);
    }

    [Fact]
    public async Task A_general_channel_that_becomes_paged_answers_who_with_its_first_page_instead_of_an_error()
    {
        var session = await _server.ConnectAsync(_client);
        var login = _client.LoginAsync("alice", "secret", Ct);
        await session.ReadAsync<Iam>();
        await session.SendAsync([
            new IamOk(Alice, false, 0, "alice"), Card(Alice, "alice"),
            new AddChannel(Tag.General, "general", ChannelFlags.None, ""), new Upd(Tag.General, [Alice], []),
            new Status(StatusCode.AuthOk, Opcode.Iam, Alice, 0, ""),
        ]);
        await login;

        await _client.WhoAsync("#general", more: false, Ct);
        Assert.Equal(new UpdRequest(Tag.General), await session.ReadAsync<UpdRequest>());
        await session.SendAsync(new Status(StatusCode.RosterPaged, Opcode.Upd, Tag.General, 1001, ""));
        Assert.Equal(new RosterPageRequest(Tag.General, Tag.None, ServerFrameHandler.RosterPageSize), await session.ReadAsync<RosterPageRequest>());
        await session.SendAsync(Card(Bob, "bob"), new RosterPageEnd(Tag.General, Tag.None, Tag.None, 1001));

        Assert.Equal(new RosterPageEvent("#general", 2, 1001, More: false), await _events.WaitForAsync<RosterPageEvent>());
        Assert.DoesNotContain(_events.Events, e => e is ErrorEvent);
    }

    [Fact]
    public async Task More_on_a_channel_that_is_listed_whole_is_a_clear_error()
    {
        var session = await _server.ConnectAsync(_client);
        var login = _client.LoginAsync("alice", "secret", Ct);
        await session.ReadAsync<Iam>();
        await session.SendAsync(new IamOk(Alice, false, 0, "alice"), Card(Alice, "alice"),
            new AddChannel(Tag.General, "general", ChannelFlags.None, ""), new Status(StatusCode.AuthOk, Opcode.Iam, Alice, 0, ""));
        await login;

        var error = await Assert.ThrowsAsync<CommandFailedException>(() => _client.WhoAsync("#general", more: true, Ct));
        Assert.Contains("listed whole", error.Message);
    }
}

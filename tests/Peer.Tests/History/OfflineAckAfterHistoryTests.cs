// The server may forget offline messages (OFFLINE_ACK) only once they are in the local history.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Peer.Server;
using P2PChat.Peer.Session;
using P2PChat.Peer.History;
using P2PChat.Peer.Tests.Fakes;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Peer.Tests.History;

public sealed class OfflineAckAfterHistoryTests
{
    private static readonly Tag Carol = Tag.User(1), Bob = Tag.User(2);
    private static readonly DateTimeOffset Then = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task When_the_ack_reaches_the_server_every_offline_message_is_already_stored()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory();
        using var store = HistoryStore.OpenInProfile(dir.Path);
        await using var server = new FakeServer();
        var events = new ListEventSink();
        await using var client = new ChatSession(new ServerConnectionOptions(new ServerAddress("127.0.0.1", server.Port))
        {
            Connector = server.Connector,
            Time = new ManualTimeProvider(),
        }, new HistoryRecorder(store, events), null);

        var session = await server.ConnectAsync(client);
        var login = client.LoginAsync("carol", "secret", ct);
        await session.ReadAsync<Iam>();
        await session.SendAsync([
            new IamOk(Carol, false, 0, "carol"),
            new AddUser(Carol, "carol", "carol", Presence.Online, "", UserFlags.None, []),
            new AddUser(Bob, "bob", "bob", Presence.Offline, "", UserFlags.None, []),
            new Status(StatusCode.OfflineMessages, Opcode.Iam, Tag.None, 2, ""),
            new MsgDeliver(Bob, "while you were away"u8.ToArray(), Carol, Then.ToUnixTimeMilliseconds(), MessageFlags.Offline, 10),
            new MsgDeliver(Bob, "still there?"u8.ToArray(), Carol, Then.AddHours(1).ToUnixTimeMilliseconds(), MessageFlags.Offline, 11),
        ]);

        Assert.Equal(new OfflineAck(11), await session.ReadAsync<OfflineAck>());
        var stored = store.Recent("@bob");
        Assert.Equal(["while you were away", "still there?"], stored.Select(l => l.Text));
        Assert.All(stored, l => Assert.True(l.Offline));
        Assert.Equal(Then.AddHours(1), stored[1].SentAt);

        await session.SendAsync(new Status(StatusCode.AuthOk, Opcode.Iam, Carol, 0, ""));
        await login;
    }
}

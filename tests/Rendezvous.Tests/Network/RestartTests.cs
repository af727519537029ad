// A restart on the same data folder keeps accounts, friends, channels, bans, undelivered messages and the certificate.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Network;

public sealed class RestartTests
{
    [Fact]
    public async Task Restart_keeps_everything_that_matters()
    {
        var clock = new ManualTimeProvider();
        await using var server = await TestServer.StartAsync(o => o.HeartbeatTimeoutSeconds = 24 * 3600, clock);
        Tag bob, carol, room;
        ulong pm;
        var fingerprint = server.Fingerprint;
        await using (var admin = await server.SignedInAsync("admin"))
        await using (var alice = await server.SignedInAsync("alice"))
        {
            await using (var b = await server.ConnectAsync()) bob = (await b.RegisterAsync("bob")).Subject;
            await using (var c = await server.ConnectAsync()) carol = (await c.RegisterAsync("carol")).Subject;
            await alice.SendAsync(new Friend(FriendAction.Request, bob));
            await alice.ExpectStatusAsync(StatusCode.Ok);
            room = await alice.CreateChannelAsync("room", ChannelFlags.InviteOnly, "kept");
            pm = (await alice.MessageAsync(bob, "survives restarts")).MessageId;
            await admin.SendAsync(new Ban(carol, 60));
            await admin.ExpectStatusAsync(StatusCode.Ok);
        }

        await server.RestartAsync();
        Assert.Equal(fingerprint, server.Fingerprint);

        await using var bobAgain = await server.ConnectAsync();
        var burst = await bobAgain.SignInAsync("bob");
        Assert.Equal(bob, bobAgain.Tag);
        Assert.Contains(burst, f => f is Status { Code: StatusCode.FriendRequest });
        var msg = burst.OfType<MsgDeliver>().Single();
        Assert.Equal(("survives restarts", pm), (TestClient.Text(msg), msg.MessageId));
        await bobAgain.SendAsync(new Friend(FriendAction.Accept, Tag.User(2)));
        await bobAgain.ExpectStatusAsync(StatusCode.Ok);

        await using var aliceAgain = await server.ConnectAsync();
        burst = await aliceAgain.SignInAsync("alice");
        var kept = burst.OfType<AddChannel>().Single(c => c.Tag == room);
        Assert.Equal(("room", "kept", ChannelFlags.InviteOnly | ChannelFlags.Operator), (kept.Name, kept.Topic, kept.Flags));
        Assert.Equal([bob], burst.OfType<Upd>().Single(u => u.Tag == aliceAgain.Tag).Members);

        await using var carolAgain = await server.ConnectAsync();
        await carolAgain.SendAsync(new Iam("carol", "password1"));
        await carolAgain.ExpectClosedWithAsync(StatusCode.Banned);
    }
}

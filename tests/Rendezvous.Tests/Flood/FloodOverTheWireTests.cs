// Flood protection seen by real clients: STATUS 24 after 5 failed sign-ins, STATUS 25 on the 11th command in 5 s.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Flood;

public sealed class FloodOverTheWireTests
{
    [Fact]
    public async Task Five_failed_sign_ins_block_the_address_for_seven_minutes()
    {
        var clock = new ManualTimeProvider();
        await using var server = await TestServer.StartAsync(o => o.HeartbeatTimeoutSeconds = 24 * 3600, clock);
        await using (var setup = await server.ConnectAsync()) await setup.RegisterAsync("alice");

        await using (var c = await server.ConnectAsync())
        {
            for (var i = 0; i < 4; i++)
            {
                await c.SendAsync(new Iam("alice", "wrong-password"));
                await c.ExpectStatusAsync(StatusCode.WrongPassword);
            }
            await c.SendAsync(new Iam("alice", "wrong-password"));
            var frames = await c.ReadUntilClosedAsync();
            Assert.Equal([StatusCode.WrongPassword, StatusCode.LoginsBlocked], frames.OfType<Status>().Select(s => s.Code));
            Assert.Equal(420u, frames.OfType<Status>().Last().Value);
        }
        clock.Advance(TimeSpan.FromMinutes(6));
        await using (var c = await server.ConnectAsync())
        {
            await c.SendAsync(new Iam("alice", "password1"));              // even the right password waits
            Assert.Equal(60u, (await c.ExpectClosedWithAsync(StatusCode.LoginsBlocked)).Value);
        }
        await using (var c = await server.ConnectAsync())
        {
            await c.SendAsync(new Register("mallory", "password1"));
            await c.ExpectClosedWithAsync(StatusCode.LoginsBlocked);
        }
        clock.Advance(TimeSpan.FromMinutes(1));
        await using var ok = await server.ConnectAsync();
        await ok.SignInAsync("alice");
    }

    [Fact]
    public async Task Eleventh_command_in_five_seconds_is_refused_for_a_minute()
    {
        var clock = new ManualTimeProvider();
        await using var server = await TestServer.StartAsync(o => o.HeartbeatTimeoutSeconds = 24 * 3600, clock);
        await using var alice = await server.SignedInAsync("alice");
        for (var i = 0; i < 10; i++)
        {
            await alice.SendAsync(new UpdRequest(Tag.General));
            await alice.ExpectAsync<Upd>(u => u.Tag == Tag.General);
        }
        await alice.SendAsync(new UpdRequest(Tag.General));
        var flooding = await alice.ExpectAsync<Status>();
        Assert.Equal((StatusCode.Flooding, 60u, Opcode.Upd), (flooding.Code, flooding.Value, flooding.RefOpcode));

        Assert.DoesNotContain(await alice.SyncAsync(), f => f is Upd);   // PING still answered, nothing carried out
        clock.Advance(TimeSpan.FromSeconds(59));
        await alice.SendAsync(new UpdRequest(Tag.General));
        Assert.Equal((StatusCode.Flooding, 1u), await alice.ExpectAsync<Status>() is var s ? (s.Code, s.Value) : default);
        clock.Advance(TimeSpan.FromSeconds(1));
        await alice.SendAsync(new UpdRequest(Tag.General));
        await alice.ExpectAsync<Upd>(u => u.Tag == Tag.General);
    }

    [Fact]
    public async Task A_flooded_msg_is_refused_with_its_request_id()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.SignedInAsync("alice");
        for (var i = 0; i < 10; i++) await alice.MessageAsync(Tag.General, $"{i}");
        var refused = await alice.MessageRefusedAsync(Tag.General, "one too many"u8.ToArray());
        Assert.Equal((StatusCode.Flooding, 11u, Tag.General), (refused.Code, refused.Value, refused.Subject));
    }
}

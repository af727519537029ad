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
    public async Task Signing_off_and_on_again_does_not_reset_the_command_rate_limit()
    {
        var clock = new ManualTimeProvider();
        await using var server = await TestServer.StartAsync(o => o.HeartbeatTimeoutSeconds = 24 * 3600, clock);
        await server.RegisteredAsync("alice");
        for (var round = 0; round < 2; round++)
        {
            await using var c = await server.ConnectAsync();
            await c.SignInAsync("alice");
            for (var i = 0; i < 5; i++)
            {
                await c.SendAsync(new UpdRequest(Tag.General));
                await c.ExpectAsync<Upd>(u => u.Tag == Tag.General);
            }
            await c.SendAsync(new Quit());
            await c.ReadUntilClosedAsync();
        }
        await using var again = await server.ConnectAsync();
        await again.SignInAsync("alice");
        await again.SendAsync(new UpdRequest(Tag.General));   // the 11th within the window, across two reconnects
        var flooding = await again.ExpectAsync<Status>();
        Assert.Equal((StatusCode.Flooding, 60u), (flooding.Code, flooding.Value));
    }

    [Fact]
    public void Idle_users_are_pruned_but_a_user_in_a_penalty_is_kept()
    {
        var clock = new ManualTimeProvider();
        var limiter = new P2PChat.Rendezvous.Flood.CommandRateLimiter(clock, 10, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1));
        for (var i = 0; i < 11; i++) limiter.TryAccept(0x8000_0001);          // in a penalty
        for (uint u = 0; u < 4096; u++) limiter.TryAccept(0x8000_1000 + u);
        clock.Advance(TimeSpan.FromSeconds(5));
        for (uint u = 0; u < 4096; u++) limiter.TryAccept(0x8001_0000 + u);   // the 4,096th accept prunes
        Assert.InRange(limiter.Tracked, 4096, 4097);
        Assert.NotNull(limiter.TryAccept(0x8000_0001));
    }

    [Fact]
    public async Task Guesses_at_one_account_from_many_addresses_are_delayed_but_its_owner_signs_in_at_once()
    {
        var clock = new ManualTimeProvider();
        await using var server = await TestServer.StartAsync(o => o.HeartbeatTimeoutSeconds = 24 * 3600, clock);
        await server.RegisteredAsync("alice");
        await using (var owner = await server.ConnectAsync()) await owner.SignInAsync("alice");   // 127.0.0.1 is now familiar

        // Four guesses from each of two addresses stay under the per-address rule (5) but trip the account's limit.
        var refused = new List<Status>();
        for (var a = 2; a <= 3; a++)
        {
            await using var bot = await server.ConnectAsync(from: System.Net.IPAddress.Parse($"127.0.0.{a}"));
            for (var i = 0; i < 4; i++)
            {
                await bot.SendAsync(new Iam("alice", $"guess-{a}-{i}"));
                refused.Add(await bot.ExpectAsync<Status>(s => s.RefOpcode == Opcode.Iam));
            }
        }
        Assert.Equal(5, refused.Count(s => s.Code == StatusCode.WrongPassword));   // five were checked...
        Assert.Equal(3, refused.Count(s => s.Code == StatusCode.SignInDelayed));   // ...then each waits (2 s after the 5th)
        Assert.All(refused.Where(s => s.Code == StatusCode.SignInDelayed), s => Assert.Equal(2u, s.Value));

        await using (var owner = await server.ConnectAsync()) await owner.SignInAsync("alice");   // not locked out
        clock.Advance(TimeSpan.FromSeconds(2));
        await using var late = await server.ConnectAsync(from: System.Net.IPAddress.Parse("127.0.0.4"));
        await late.SendAsync(new Iam("alice", "still-guessing"));
        // The owner's success reset the count: this guess is checked (and wrong) again.
        Assert.Equal(StatusCode.WrongPassword, (await late.ExpectAsync<Status>(s => s.RefOpcode == Opcode.Iam)).Code);
    }

    [Fact]
    public async Task A_success_on_the_attackers_own_account_does_not_reset_the_address_count()
    {
        var clock = new ManualTimeProvider();
        await using var server = await TestServer.StartAsync(o => o.HeartbeatTimeoutSeconds = 24 * 3600, clock);
        await server.RegisteredAsync("victim");
        await server.RegisteredAsync("mallory");
        await using var c = await server.ConnectAsync(from: System.Net.IPAddress.Parse("127.0.0.5"));
        for (var i = 0; i < 4; i++)
        {
            await c.SendAsync(new Iam("victim", $"guess-{i}"));
            await c.ExpectStatusAsync(StatusCode.WrongPassword);
        }
        await using (var own = await server.ConnectAsync(from: System.Net.IPAddress.Parse("127.0.0.5"))) await own.SignInAsync("mallory");
        await c.SendAsync(new Iam("victim", "guess-4"));
        Assert.Equal([StatusCode.WrongPassword, StatusCode.LoginsBlocked], (await c.ReadUntilClosedAsync()).OfType<Status>().Select(s => s.Code));
    }

    [Fact]
    public async Task Sign_ups_are_throttled_per_address_and_globally_before_any_hashing()
    {
        var clock = new ManualTimeProvider();
        await using var server = await TestServer.StartAsync(o =>
        {
            (o.HeartbeatTimeoutSeconds, o.SignInDeadlineSeconds, o.MaxSignUpsPerAddress, o.SignUpAddressWindowSeconds) = (24 * 3600, 24 * 3600, 3, 3600);
            (o.MaxSignUpsGlobal, o.SignUpGlobalWindowSeconds) = (5, 60);
        }, clock);
        await using var a = await server.ConnectAsync(from: System.Net.IPAddress.Parse("127.0.0.6"));
        for (var i = 0; i < 3; i++) Assert.Equal(StatusCode.Registered, (await a.RegisterAsync($"user{i}")).Code);
        var throttled = await a.RegisterAsync("user3");
        Assert.Equal((StatusCode.SignUpsThrottled, 3600u), (throttled.Code, throttled.Value));
        Assert.Null(await server.Store.FindAccountByUsernameAsync("user3", TestClient.Ct));

        await using var b = await server.ConnectAsync(from: System.Net.IPAddress.Parse("127.0.0.7"));
        Assert.Equal(StatusCode.Registered, (await b.RegisterAsync("user4")).Code);
        Assert.Equal(StatusCode.UsernameExists, (await b.RegisterAsync("user4")).Code);       // counts: it cost a hash
        Assert.Equal((StatusCode.SignUpsThrottled, 60u), await b.RegisterAsync("user5") is var g ? (g.Code, g.Value) : default);   // global
        clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(StatusCode.Registered, (await b.RegisterAsync("user5")).Code);
        Assert.Equal(StatusCode.SignUpsThrottled, (await a.RegisterAsync("user6")).Code);     // a's hour is not over
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

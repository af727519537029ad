// Admin kick (STATUS 16) and ban (STATUS 23, refused sign-in, unban); who is an admin.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Commands;

public sealed class AdminCommandsTests
{
    [Fact]
    public async Task Admin_kicks_a_user_off_the_server()
    {
        await using var server = await TestServer.StartAsync();
        await using var admin = await server.SignedInAsync("admin");
        await using var bob = await server.SignedInAsync("bob");
        await admin.SendAsync(new Kick(bob.Tag, Tag.None));
        var kicked = await bob.ExpectClosedWithAsync(StatusCode.Kicked);
        Assert.Equal(admin.Tag, kicked.Subject);
        await admin.ExpectStatusAsync(StatusCode.Ok, s => s.RefOpcode == Opcode.Kick);
        await admin.ExpectOfflineAsync(bob.Tag);
    }

    [Fact]
    public async Task Non_admins_may_not_kick_or_ban()
    {
        await using var server = await TestServer.StartAsync();
        await using var admin = await server.SignedInAsync("admin");
        await using var bob = await server.SignedInAsync("bob");
        await bob.SendAsync(new Kick(admin.Tag, Tag.None));
        await bob.ExpectStatusAsync(StatusCode.NotAllowed, s => s.RefOpcode == Opcode.Kick);
        await bob.SendAsync(new Ban(admin.Tag, 10));
        await bob.ExpectStatusAsync(StatusCode.NotAllowed, s => s.RefOpcode == Opcode.Ban);
    }

    [Fact]
    public async Task Ban_disconnects_refuses_sign_in_until_it_ends_and_can_be_lifted()
    {
        var clock = new ManualTimeProvider();
        await using var server = await TestServer.StartAsync(o => o.HeartbeatTimeoutSeconds = 24 * 3600, clock);
        await using var admin = await server.SignedInAsync("admin");
        await using var bob = await server.SignedInAsync("bob");
        await admin.SendAsync(new Ban(bob.Tag, 10));
        Assert.Equal(600u, (await bob.ExpectClosedWithAsync(StatusCode.Banned)).Value);
        await admin.ExpectStatusAsync(StatusCode.Ok, s => s.RefOpcode == Opcode.Ban);

        clock.Advance(TimeSpan.FromMinutes(4));
        await using (var retry = await server.ConnectAsync())
        {
            await retry.SendAsync(new Iam("bob", "password1"));
            Assert.Equal(360u, (await retry.ExpectClosedWithAsync(StatusCode.Banned)).Value);
        }
        clock.Advance(TimeSpan.FromMinutes(6));                    // the ban has run out
        await using (var after = await server.ConnectAsync()) await after.SignInAsync("bob");

        await admin.SendAsync(new Ban(bob.Tag, 60));
        await admin.ExpectStatusAsync(StatusCode.Ok, s => s.RefOpcode == Opcode.Ban);
        await admin.SendAsync(new Ban(bob.Tag, 0));                // lifted
        await admin.ExpectStatusAsync(StatusCode.Ok, s => s.RefOpcode == Opcode.Ban);
        await using var again = await server.ConnectAsync();
        await again.SignInAsync("bob");
    }

    [Fact]
    public async Task Configured_admins_are_admins()
    {
        await using var server = await TestServer.StartAsync(o => o.Admins = "carol, dave");
        await using var first = await server.SignedInAsync("first");
        await using var carol = await server.ConnectAsync();
        await carol.RegisterAsync("carol");
        Assert.True(Assert.IsType<IamOk>((await carol.SignInAsync("carol"))[0]).IsAdmin);
        await using var bob = await server.ConnectAsync();
        await bob.RegisterAsync("bob");
        var burst = await bob.SignInAsync("bob");
        Assert.False(Assert.IsType<IamOk>(burst[0]).IsAdmin);
        Assert.True(burst.OfType<AddUser>().Single(u => u.Tag == carol.Tag).Flags.HasFlag(UserFlags.Admin));
        Assert.True(burst.OfType<AddUser>().Single(u => u.Tag == first.Tag).Flags.HasFlag(UserFlags.Admin));
        Assert.False(burst.OfType<AddUser>().Single(u => u.Tag == bob.Tag).Flags.HasFlag(UserFlags.Admin));
    }
}

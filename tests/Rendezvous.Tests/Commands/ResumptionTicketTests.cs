// Device-bound resumption tickets: issued after sign-in, RESUME signs in without the password, bound to the device,
// expired by the server (injected clock), revocable by the user, kept across a server restart.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Commands;

public sealed class ResumptionTicketTests
{
    private static readonly byte[] Laptop = Enumerable.Repeat((byte)1, 16).ToArray();
    private static readonly byte[] Phone = Enumerable.Repeat((byte)2, 16).ToArray();

    private static async Task<TicketIssued> TicketAsync(TestClient c, byte[] device)
    {
        await c.SendAsync(new TicketRequest(device, "laptop"));
        return await c.ExpectAsync<TicketIssued>();
    }

    private static async Task<Status> ResumeAsync(TestServer server, byte[] device, byte[] ticket)
    {
        await using var c = await server.ConnectAsync();
        await c.SendAsync(new Resume(device, ticket));
        return await c.ExpectAsync<Status>(s => s.RefOpcode == Opcode.Resume && s.Code != StatusCode.RosterPaged);
    }

    [Fact]
    public async Task A_ticket_signs_the_device_in_again_without_the_password_even_after_a_restart()
    {
        var clock = new ManualTimeProvider();
        await using var server = await TestServer.StartAsync(time: clock);
        TicketIssued ticket;
        await using (var alice = await server.SignedInAsync("alice"))
        {
            ticket = await TicketAsync(alice, Laptop);
            Assert.Equal(48, ticket.Ticket.Length);
            Assert.Equal((clock.GetUtcNow() + TimeSpan.FromDays(30)).ToUnixTimeMilliseconds(), ticket.ExpiresAtMs);
        }
        await server.RestartAsync();

        await using var back = await server.ConnectAsync();
        await back.SendAsync(new Resume(Laptop, ticket.Ticket));
        var iam = await back.ExpectAsync<IamOk>();
        await back.ExpectStatusAsync(StatusCode.AuthOk, s => s.RefOpcode == Opcode.Resume);
        Assert.Contains(back.Received, f => f is AddUser a && a.Tag == iam.Tag && a.Username == "alice");
    }

    [Fact]
    public async Task A_ticket_is_refused_on_another_device_once_expired_and_once_revoked()
    {
        var clock = new ManualTimeProvider();
        await using var server = await TestServer.StartAsync(o => o.TicketLifetimeDays = 30, clock);
        await using var alice = await server.SignedInAsync("alice");
        var laptop = await TicketAsync(alice, Laptop);
        var phone = await TicketAsync(alice, Phone);

        Assert.Equal(3u, (await ResumeAsync(server, Phone, laptop.Ticket)).Value);                     // wrong device
        var forged = laptop.Ticket.ToArray();
        forged[^1] ^= 1;
        Assert.Equal(1u, (await ResumeAsync(server, Laptop, forged)).Value);                           // wrong secret

        await alice.SendAsync(new Revoke(RevokeScope.Device, Laptop));
        Assert.Equal(1u, (await alice.ExpectStatusAsync(StatusCode.Ok, s => s.RefOpcode == Opcode.Revoke)).Value);
        var revoked = await ResumeAsync(server, Laptop, laptop.Ticket);
        Assert.Equal((StatusCode.TicketRefused, 1u), (revoked.Code, revoked.Value));
        Assert.Equal(StatusCode.AuthOk, (await ResumeAsync(server, Phone, phone.Ticket)).Code);        // the other device still may

        clock.Advance(TimeSpan.FromDays(30));
        var expired = await ResumeAsync(server, Phone, phone.Ticket);
        Assert.Equal((StatusCode.TicketRefused, 2u), (expired.Code, expired.Value));
    }

    [Fact]
    public async Task Revoking_every_device_refuses_all_tickets_and_the_password_still_works()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.SignedInAsync("alice");
        var laptop = await TicketAsync(alice, Laptop);
        var phone = await TicketAsync(alice, Phone);
        await alice.SendAsync(new Revoke(RevokeScope.All, []));
        Assert.Equal(2u, (await alice.ExpectStatusAsync(StatusCode.Ok, s => s.RefOpcode == Opcode.Revoke)).Value);

        Assert.Equal(StatusCode.TicketRefused, (await ResumeAsync(server, Laptop, laptop.Ticket)).Code);
        Assert.Equal(StatusCode.TicketRefused, (await ResumeAsync(server, Phone, phone.Ticket)).Code);
        await using var again = await server.ConnectAsync();
        await again.SignInAsync("alice");
    }
}

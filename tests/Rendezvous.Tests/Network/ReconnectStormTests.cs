// After a server restart every user comes back at once with a ticket: all are signed in again, nobody is dropped for
// silence, and every PM acknowledged on the way back is delivered (live, stored, or pushed after a burst).
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Network;

public sealed class ReconnectStormTests
{
    [Fact]
    public async Task Everyone_comes_back_at_once_after_a_restart_and_no_acknowledged_message_is_lost()
    {
        const int Users = 40;
        var clock = new ManualTimeProvider();
        await using var server = await TestServer.StartAsync(o => { o.MaxConnectionsPerAddress = 1000; o.MaxUnauthenticatedPerAddress = 1000; o.GeneralRosterPageThreshold = 10; }, clock);
        var tickets = new byte[Users][];
        var tags = new Tag[Users];
        for (var i = 0; i < Users; i++)
        {
            await using var c = await server.SignedInAsync($"user{i:D2}");
            tags[i] = c.Tag;
            var device = BitConverter.GetBytes((long)i).Concat(new byte[8]).ToArray();
            await c.SendAsync(new TicketRequest(device, "test"));
            tickets[i] = (await c.ExpectAsync<TicketIssued>()).Ticket;
        }
        await server.RestartAsync();

        // All at once: connect, RESUME, and straight away a PM to the next user, who may not be back yet.
        var back = await Task.WhenAll(Enumerable.Range(0, Users).Select(async i =>
        {
            var c = await server.ConnectAsync();
            var device = BitConverter.GetBytes((long)i).Concat(new byte[8]).ToArray();
            await c.SendAsync(new Resume(device, tickets[i]));
            await c.ExpectStatusAsync(StatusCode.AuthOk);
            var ack = await c.MessageAsync(tags[(i + 1) % Users], $"back {i}");
            Assert.NotEqual(0ul, ack.MessageId);
            return c;
        }));
        try
        {
            clock.Advance(TimeSpan.FromSeconds(20));    // within the 30 s timeout: nobody was silent that long
            for (var i = 0; i < Users; i++)
            {
                var from = (i + Users - 1) % Users;
                // It may have come already while this client waited for its own MSG_ACK.
                var pm = back[i].Received.OfType<MsgDeliver>().FirstOrDefault(m => m.From == tags[from])
                    ?? await back[i].ExpectAsync<MsgDeliver>(m => m.From == tags[from]);
                Assert.Equal($"back {from}", TestClient.Text(pm));
                if (pm.Flags.HasFlag(MessageFlags.Offline)) await back[i].SendAsync(new OfflineAck(pm.MessageId));
            }
            foreach (var c in back) await c.SyncAsync();
            Assert.DoesNotContain(back.SelectMany(c => c.Received), f => f is Status { Code: StatusCode.Timeout });
            Assert.Equal(Users, server.Server.Hub.OnlineCount);
        }
        finally
        {
            foreach (var c in back) await c.DisposeAsync();
        }
    }
}

// OFFLINE_ACK deletes only what the connection sent up to the acknowledged message, even when ids arrive out of order.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Rendezvous.Storage;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Commands;

public sealed class OfflineAckTests
{
    [Fact]
    public async Task Acknowledging_a_pushed_message_keeps_a_lower_id_pushed_after_it()
    {
        // Three pauses on the append, outermost first: A before its commit, B before its commit, A after its commit.
        PausingStore aBefore = null!, bBefore = null!, aAfter = null!;
        await using var server = await TestServer.StartAsync(wrapStore: s =>
        {
            (var inner, aAfter) = PausingStore.Wrap(s, nameof(IRendezvousStore.AppendOfflineMessageAsync), afterCall: true);
            (var middle, bBefore) = PausingStore.Wrap(inner, nameof(IRendezvousStore.AppendOfflineMessageAsync));
            (var outer, aBefore) = PausingStore.Wrap(middle, nameof(IRendezvousStore.AppendOfflineMessageAsync));
            return outer;
        });
        var bobTag = await server.RegisteredAsync("bob");
        await using var alice = await server.SignedInAsync("alice");
        await using var carol = await server.SignedInAsync("carol");

        // A (alice) and B (carol) both find bob offline and wait before their commits...
        aBefore.Arm();
        await alice.SendAsync(new MsgSend(bobTag, "A"u8.ToArray(), 1, MessageFlags.None));
        await aBefore.Reached;
        bBefore.Arm();
        await carol.SendAsync(new MsgSend(bobTag, "B"u8.ToArray(), 1, MessageFlags.None));
        await bBefore.Reached;
        // ...bob signs in and his burst finds nothing...
        var bob = await server.ConnectAsync();
        try
        {
            Assert.DoesNotContain(await bob.SignInAsync("bob"), f => f is MsgDeliver);
            // ...A commits first (the lower id) but its push waits; B commits and is pushed: B is queued before A.
            aAfter.Arm();
            aBefore.Release();
            await aAfter.Reached;
            bBefore.Release();
            var ackB = await carol.ExpectAsync<MsgAck>(a => a.RequestId == 1);
            var b = await bob.ExpectAsync<MsgDeliver>();
            Assert.Equal(("B", ackB.MessageId), (TestClient.Text(b), b.MessageId));
            aAfter.Release();
            var ackA = await alice.ExpectAsync<MsgAck>(a => a.RequestId == 1);
            Assert.True(ackA.MessageId < ackB.MessageId);
            Assert.Equal((MessageFlags.Offline, MessageFlags.Offline), (ackA.Flags, ackB.Flags));

            // A is in bob's send queue now. Bob acknowledges B, the last one he has received, and his connection dies.
            await bob.SendAsync(new OfflineAck(b.MessageId));
            await bob.SyncAsync();
            Assert.Equal([(long)ackA.MessageId], (await server.Store.FetchOfflineMessagesAsync(bobTag.Value, 0, 10, TestClient.Ct)).Select(m => m.Id));
        }
        finally
        {
            await bob.DisposeAsync();
        }

        // A was not lost: the next sign-in brings it, and only it.
        await using var again = await server.ConnectAsync();
        var burst = (await again.SignInAsync("bob")).OfType<MsgDeliver>().ToList();
        Assert.Equal(["A"], burst.Select(TestClient.Text));
        Assert.Equal(alice.Tag, burst[0].From);
    }

    [Fact]
    public async Task An_id_this_connection_never_sent_deletes_nothing()
    {
        await using var server = await TestServer.StartAsync();
        var bobTag = await server.RegisteredAsync("bob");
        await using var alice = await server.SignedInAsync("alice");
        var first = await alice.MessageAsync(bobTag, "one");
        var second = await alice.MessageAsync(bobTag, "two");

        await using var bob = await server.ConnectAsync();
        Assert.Equal(["one", "two"], (await bob.SignInAsync("bob")).OfType<MsgDeliver>().Select(TestClient.Text));
        // An id above both (what "up to" would have honoured) and a live message id: both ignored.
        await bob.SendAsync(new OfflineAck(second.MessageId + 1));
        await bob.SendAsync(new OfflineAck(0x8000_0000_0000_0001));
        await bob.SyncAsync();
        Assert.Equal(2, await server.Store.CountOfflineMessagesAsync(bobTag.Value, TestClient.Ct));

        // The first then the second, each once: each takes exactly what it covers; a repeat is ignored.
        await bob.SendAsync(new OfflineAck(first.MessageId));
        await bob.SyncAsync();
        Assert.Equal([(long)second.MessageId], (await server.Store.FetchOfflineMessagesAsync(bobTag.Value, 0, 10, TestClient.Ct)).Select(m => m.Id));
        await bob.SendAsync(new OfflineAck(second.MessageId));
        await bob.SendAsync(new OfflineAck(second.MessageId));
        await bob.SyncAsync();
        Assert.Equal(0, await server.Store.CountOfflineMessagesAsync(bobTag.Value, TestClient.Ct));
    }
}

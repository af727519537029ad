// A PM stored while its recipient signs in reaches that session (not only the next one), under the exact interleavings.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Rendezvous.Storage;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Commands;

public sealed class PrivateDeliveryTests
{
    [Fact]
    public async Task A_pm_committed_after_the_recipients_burst_read_the_store_arrives_in_that_session()
    {
        PausingStore append = null!;
        await using var server = await TestServer.StartAsync(wrapStore: s =>
        {
            (var store, append) = PausingStore.Wrap(s, nameof(IRendezvousStore.AppendOfflineMessageAsync));
            return store;
        });
        var bobTag = await server.RegisteredAsync("bob");
        await using var alice = await server.SignedInAsync("alice");

        // alice's PM finds bob offline and stops just before the commit...
        append.Arm();
        await alice.SendAsync(new MsgSend(bobTag, "just in time"u8.ToArray(), 1, MessageFlags.None));
        await append.Reached;
        // ...bob signs in meanwhile: his burst reads an empty store...
        await using var bob = await server.ConnectAsync();
        Assert.DoesNotContain(await bob.SignInAsync("bob"), f => f is MsgDeliver);
        // ...then the commit: bob gets the stored message now, with its stored id.
        append.Release();

        var ack = await alice.ExpectAsync<MsgAck>(a => a.RequestId == 1);
        var msg = await bob.ExpectAsync<MsgDeliver>();
        Assert.Equal(MessageFlags.Offline, ack.Flags);
        Assert.Equal(("just in time", alice.Tag, MessageFlags.Offline, ack.MessageId, ack.SentAtMs),
            (TestClient.Text(msg), msg.From, msg.Flags, msg.MessageId, msg.SentAtMs));

        // It is a stored message like any other: kept until acknowledged, gone after.
        await bob.SendAsync(new OfflineAck(msg.MessageId));
        await bob.SyncAsync();
        Assert.Empty(await server.Store.FetchOfflineMessagesAsync(bobTag.Value, 0, 10, TestClient.Ct));
    }

    [Fact]
    public async Task A_pm_committed_while_the_burst_waits_to_read_the_store_may_come_twice_with_one_id()
    {
        PausingStore append = null!, fetch = null!;
        await using var server = await TestServer.StartAsync(wrapStore: s =>
        {
            (var appendStore, append) = PausingStore.Wrap(s, nameof(IRendezvousStore.AppendOfflineMessageAsync));
            (var both, fetch) = PausingStore.Wrap(appendStore, nameof(IRendezvousStore.FetchOfflineMessagesAsync));
            return both;
        });
        var bobTag = await server.RegisteredAsync("bob");
        await using var alice = await server.SignedInAsync("alice");

        append.Arm();
        await alice.SendAsync(new MsgSend(bobTag, "twice"u8.ToArray(), 1, MessageFlags.None));
        await append.Reached;                 // looked up while bob was offline
        fetch.Arm();
        await using var bob = await server.ConnectAsync();
        await bob.SendAsync(new Iam("bob", "password1"));
        await fetch.Reached;                  // bob is signed in, his burst has not read the store yet
        append.Release();
        var ack = await alice.ExpectAsync<MsgAck>(a => a.RequestId == 1);
        fetch.Release();

        var inBurst = await bob.ExpectAsync<MsgDeliver>();
        await bob.ExpectStatusAsync(StatusCode.AuthOk);
        var afterBurst = await bob.ExpectAsync<MsgDeliver>();
        Assert.All(new[] { inBurst, afterBurst }, m =>
            Assert.Equal(("twice", MessageFlags.Offline, ack.MessageId), (TestClient.Text(m), m.Flags, m.MessageId)));
    }
}

// Writes to one connection are batched: what a client's read brings in is answered in one TLS write, a sign-in burst goes out whole.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Sessions;

public sealed class WriteBatchingTests
{
    [Fact]
    public async Task Pipelined_messages_are_acknowledged_in_one_write_and_each_reaches_the_recipient()
    {
        var clock = new ManualTimeProvider();
        await using var server = await TestServer.StartAsync(o => o.HeartbeatTimeoutSeconds = 24 * 3600, clock);
        await using var alice = await server.SignedInAsync("alice");
        await using var bob = await server.SignedInAsync("bob");
        await bob.SyncAsync();
        await alice.SyncAsync();     // bob's card (a pending delta) is out: nothing else is on its way to alice

        var before = alice.TlsRecordsReceived;
        MsgSend Pm(uint id) => new(bob.Tag, new[] { (byte)id }, id, MessageFlags.None);
        await alice.SendTogetherAsync([Pm(1), Pm(2), Pm(3)]);
        for (uint id = 1; id <= 3; id++) await alice.ExpectAsync<MsgAck>(a => a.RequestId == id);

        // The three MSGs arrived in one read; their three MSG_ACKs left in one write, one TLS record.
        Assert.Equal(before + 1, alice.TlsRecordsReceived);
        for (var id = 1; id <= 3; id++) Assert.Equal([(byte)id], (await bob.ExpectAsync<MsgDeliver>()).Data.ToArray());
    }

    [Fact]
    public async Task A_sign_in_burst_goes_out_in_one_write()
    {
        var clock = new ManualTimeProvider();
        await using var server = await TestServer.StartAsync(o => o.HeartbeatTimeoutSeconds = 24 * 3600, clock);
        await server.RegisteredAsync("alice");
        await using var alice = await server.ConnectAsync();
        var before = alice.TlsRecordsReceived;

        var burst = await alice.SignInAsync("alice");

        Assert.True(burst.Count >= 5, $"a burst of {burst.Count} frames");
        Assert.Equal(before + 1, alice.TlsRecordsReceived);
    }

    [Fact]
    public async Task A_registration_pipelined_with_a_sign_in_is_answered_and_the_sign_in_follows()
    {
        await using var server = await TestServer.StartAsync(o => o.HeartbeatTimeoutSeconds = 24 * 3600, new ManualTimeProvider());
        await using var client = await server.ConnectAsync();

        // One read brings both: the IAM waits for the REGISTER running beside the read loop, whose reply must not
        // stay corked behind it.
        await client.SendTogetherAsync([new Register("alice", "password1"), new Iam("alice", "password1")]);

        Assert.Equal(StatusCode.Registered, (await client.ExpectAsync<Status>(s => s.RefOpcode == Opcode.Register)).Code);
        await client.ExpectAsync<IamOk>();
        await client.ExpectStatusAsync(StatusCode.AuthOk);
    }
}

// Tests how replies are matched to requests: oldest first per opcode, by key, MSG by request id, and cleanup.
using P2PChat.Core.Protocol;
using P2PChat.Peer.Server;
using Xunit;

namespace P2PChat.Peer.Tests.Server;

public sealed class PendingRequestsTests
{
    private readonly PendingRequests _pending = new();

    [Fact]
    public void Statuses_answer_the_oldest_request_of_their_opcode()
    {
        _pending.Add(Opcode.Friend, "friend-1");
        _pending.Add(Opcode.Buzz, "buzz");
        _pending.Add(Opcode.Friend, "friend-2");
        Assert.Equal("friend-1", _pending.TakeOldest(Opcode.Friend)!.Command);
        Assert.Equal("friend-2", _pending.TakeOldest(Opcode.Friend)!.Command);
        Assert.Null(_pending.TakeOldest(Opcode.Friend));
        Assert.Equal("buzz", _pending.TakeOldest(Opcode.Buzz)!.Command);
    }

    [Fact]
    public void Success_frames_take_the_request_about_their_name_regardless_of_case()
    {
        _pending.Add(Opcode.Co, "join", "dev");
        _pending.Add(Opcode.Co, "join", "Ops");
        Assert.Equal("Ops", _pending.TakeByKey(Opcode.Co, "OPS")!.Key);
        Assert.Equal("dev", _pending.TakeOldest(Opcode.Co)!.Key);
    }

    [Fact]
    public void Messages_are_matched_by_increasing_request_ids()
    {
        var first = _pending.AddMessage("bob");
        var second = _pending.AddMessage("#dev");
        Assert.Equal(first + 1, second);
        Assert.Equal("#dev", _pending.TakeMessage(second));
        Assert.Null(_pending.TakeMessage(second));
        Assert.Equal("bob", _pending.TakeMessage(first));
    }

    [Fact]
    public async Task Clearing_cancels_whoever_awaits_a_reply()
    {
        var request = _pending.Add(Opcode.Resolve, "resolve", "bob", wantsReply: true, silent: true);
        _pending.Clear();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request.Reply!.Task);
        Assert.Null(_pending.TakeOldest(Opcode.Resolve));
    }

    [Fact]
    public void Unanswered_requests_cannot_pile_up()
    {
        for (var i = 0; i < 100; i++) _pending.Add(Opcode.Presence, $"away-{i}");
        var left = 0;
        while (_pending.TakeOldest(Opcode.Presence) is not null) left++;
        Assert.Equal(64, left);
    }
}

// A member that sends forged states or floods is refused each time and, past the strike limit, excluded; the room carries on.
using P2PChat.Core.Crypto.Groups;
using P2PChat.Core.Payloads;
using P2PChat.Core.Rooms;
using P2PChat.Peer.Events;
using P2PChat.Peer.Rooms;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Peer.Tests.Rooms;

public sealed class RoomBadInputTests
{
    [Fact]
    public async Task Forged_states_are_refused_struck_and_the_sender_excluded_while_the_room_carries_on()
    {
        await using var lab = new RoomLab();
        var (m, host) = await lab.RoomOfAsync(2);
        var attacker = lab.Add();
        var (conn, bye, invite) = await ByHandAsync(m[0], host, attacker);
        var state = host.State;
        var promoted = state with { Version = state.Version + 1, Members = [.. state.Members.Select(x => x.Tag == attacker.Tag ? x with { Role = RoomRole.Moderator } : x)] };
        for (var i = 0; i < 5; i++) conn.Send(new RoomFrame.State(promoted.Sign(attacker.Tag, attacker.Links.Identity)));
        await m[0].Events.WaitForAsync<RoomMemberEvent>(e => e.User == attacker.Name && e.Change == "excluded");
        Assert.Equal(5, m[0].Events.Events.OfType<RoomMemberEvent>().Count(e => e.User == attacker.Name && e.Change == "refused"));
        Assert.Equal(4, (await bye.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken)).Reason);
        await m[1].Events.WaitForAsync<RoomMemberEvent>(e => e.User == attacker.Name && e.Change == "kicked");
        Assert.False(host.State.IsMember(attacker.Tag));
        await m[1].Room.SayAsync("still here");
        await m[0].Events.WaitForAsync<MessageEvent>(e => e.Text == "still here");
        Assert.Equal("lounge", invite.Name);
    }

    [Fact]
    public async Task A_member_flooding_past_the_limit_is_struck_once_per_window_and_excluded_at_the_strike_limit()
    {
        // The clock is ours, so the flood windows are exact; the host timeout is an hour so the jumps are no silence.
        var clock = new ManualTimeProvider();
        await using var lab = new RoomLab { RoomTime = clock, HostTimeout = TimeSpan.FromHours(1) };
        var (m, host) = await lab.RoomOfAsync(2);
        var flooder = lab.Add();
        var (conn, bye, _) = await ByHandAsync(m[0], host, flooder);
        const int limit = 200;   // RoomContext.FloodPosts, docs/rooms.md §6
        // Well-formed sender-key posts under a key the flooder never shares: held unread, so the flood is the only fault.
        using var key = GroupSenderKey.Create();
        ulong sequence = 0;
        for (var window = 1; window <= 5; window++)
        {
            // One post past the limit in a window: one strike, the rest of the window dropped (not ordered, not forwarded).
            var mark = m[0].Events.Count;
            for (var i = 0; i <= limit; i++) conn.Send(new RoomFrame.Post(new RoomEntry(new RoomMessageId(flooder.Tag, ++sequence), key.Encrypt("room"u8, "flood"u8))));
            var refused = await m[0].Events.WaitForFromAsync<RoomMemberEvent>(mark, e => e.User == flooder.Name && e.Change == "refused", TestContext.Current.CancellationToken);
            Assert.Equal($"more than {limit} posts in 5 s", refused.Reason);
            Assert.Equal(window, m[0].Events.Events.OfType<RoomMemberEvent>().Count(e => e.User == flooder.Name && e.Change == "refused"));
            if (window < 5) clock.Advance(RoomContext.FloodWindow);   // a new window: the count starts again
        }
        await m[0].Events.WaitForAsync<RoomMemberEvent>(e => e.User == flooder.Name && e.Change == "excluded");
        Assert.Equal(4, (await bye.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken)).Reason);
        await m[1].Events.WaitForAsync<RoomMemberEvent>(e => e.User == flooder.Name && e.Change == "kicked");
        Assert.False(host.State.IsMember(flooder.Tag));
        await m[1].Room.SayAsync("still here");
        await m[0].Events.WaitForAsync<MessageEvent>(e => e.Text == "still here");
    }

    [Fact]
    public async Task A_vote_for_an_earlier_epoch_is_ignored_as_a_race_and_one_for_a_later_epoch_is_refused()
    {
        await using var lab = new RoomLab();
        var (m, _) = await lab.RoomOfAsync(3);
        await m[1].Room.VoteAsync(m[2].Tag);
        await m[2].Room.VoteAsync(m[2].Tag);
        foreach (var x in m) await x.Events.WaitForAsync<RoomHostEvent>(e => e.Host == m[2].Name && e.Epoch == 2);
        await m[1].Room.PlayAsync(new RoomPayload.Vote(m[0].Tag, 1));   // cast before the handoff, arriving after it
        await m[1].Room.PlayAsync(new RoomPayload.Vote(m[0].Tag, 3));   // for an epoch that has not begun
        await m[1].Room.SayAsync("after the votes");
        foreach (var x in m) await x.Events.WaitForAsync<MessageEvent>(e => e.Text == "after the votes");
        // The host reads m[1]'s posts in order: both votes before the text. Only the later epoch's is an offence.
        var refused = m[2].Events.Events.OfType<RoomMemberEvent>().Where(e => e.User == m[1].Name && e.Change == "refused").Select(e => e.Reason);
        Assert.Equal(["a vote for epoch 3 in epoch 2"], refused);
    }

    /// <summary>
    /// <paramref name="who"/> is invited by <paramref name="hostMember"/> and then speaks the protocol by hand instead of
    /// running a room: a stream to the host, a Hello, and the Bye the host ends it with.
    /// </summary>
    private static async Task<(RoomConnection Conn, Task<RoomFrame.Bye> Bye, RoomInviteEvent Invite)> ByHandAsync(LabMember hostMember, RoomPeer host, LabMember who)
    {
        await hostMember.Rooms.InviteAsync(host, who.Tag, CancellationToken.None);
        var invite = await who.Events.WaitForAsync<RoomInviteEvent>();
        var link = await who.Links.ConnectAsync(hostMember.Tag, CancellationToken.None);
        var conn = new RoomConnection(link, link.OpenStream(PayloadKind.RoomStream), CancellationToken.None);
        var bye = new TaskCompletionSource<RoomFrame.Bye>(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = conn.ReadLoopAsync((_, f) =>
        {
            if (f is RoomFrame.Bye b) bye.TrySetResult(b);
            return Task.CompletedTask;
        });
        conn.Send(new RoomFrame.Hello(host.Id, RoomReach.RelayOnly, 0, 0, 0, null));
        await hostMember.Events.WaitForAsync<RoomMemberEvent>(e => e.User == who.Name && e.Change == "online");
        return (conn, bye.Task, invite);
    }
}

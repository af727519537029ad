// A member that sends forged states is refused each time and, past the strike limit, excluded; the room carries on.
using P2PChat.Core.Payloads;
using P2PChat.Core.Rooms;
using P2PChat.Peer.Events;
using P2PChat.Peer.Rooms;
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
        await m[0].Rooms.InviteAsync(host, attacker.Tag, CancellationToken.None);
        var invite = await attacker.Events.WaitForAsync<RoomInviteEvent>();
        // The attacker speaks the protocol by hand instead of running a room.
        var link = await attacker.Links.ConnectAsync(m[0].Tag, CancellationToken.None);
        var conn = new RoomConnection(link, link.OpenStream(PayloadKind.RoomStream), CancellationToken.None);
        var bye = new TaskCompletionSource<RoomFrame.Bye>(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = conn.ReadLoopAsync((_, f) =>
        {
            if (f is RoomFrame.Bye b) bye.TrySetResult(b);
            return Task.CompletedTask;
        });
        conn.Send(new RoomFrame.Hello(host.Id, RoomReach.RelayOnly, 0, 0, 0, null));
        await m[0].Events.WaitForAsync<RoomMemberEvent>(e => e.User == attacker.Name && e.Change == "online");
        var state = host.State;
        var promoted = state with { Version = state.Version + 1, Members = [.. state.Members.Select(x => x.Tag == attacker.Tag ? x with { Role = RoomRole.Moderator } : x)] };
        for (var i = 0; i < 5; i++) conn.Send(new RoomFrame.State(promoted.Sign(attacker.Tag, attacker.Links.Identity)));
        await m[0].Events.WaitForAsync<RoomMemberEvent>(e => e.User == attacker.Name && e.Change == "excluded");
        Assert.Equal(5, m[0].Events.Events.OfType<RoomMemberEvent>().Count(e => e.User == attacker.Name && e.Change == "refused"));
        Assert.Equal(4, (await bye.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken)).Reason);
        await m[1].Events.WaitForAsync<RoomMemberEvent>(e => e.User == attacker.Name && e.Change == "kicked");
        Assert.False(host.State.IsMember(attacker.Tag));
        await m[1].Room.SayAsync("still here");
        await m[0].Events.WaitForAsync<MessageEvent>(e => e.Text == "still here");
        Assert.Equal("lounge", invite.Name);
    }
}

// Room events in the TUI: the room buffer, its member list with the host and the succession, invitations as notices.
using P2PChat.Peer.Events;
using P2PChat.Peer.Rooms;
using P2PChat.Peer.Tui.Binding;
using P2PChat.Peer.Tui.State;
using P2PChat.Peer.Tests.Tui.Support;
using Xunit;

namespace P2PChat.Peer.Tests.Tui.Binding;

[Collection(TerminalGuiCollection.Name)]
public sealed class RoomEventsTests
{
    private readonly ChatViewState _state = new();
    private readonly ClientEventBinder _binder;

    public RoomEventsTests() => _binder = new ClientEventBinder(_state);

    [Fact]
    public void A_room_is_a_buffer_whose_members_show_the_host_then_the_succession_and_offline_members_stay()
    {
        _binder.Apply(new ConnectedEvent("127.0.0.1:7777", "AA", PinOutcome.FirstUse, 1));
        _binder.Apply(new SignedInEvent("carol", 0x80000001, "carol", false));
        _binder.Apply(new RoomInviteEvent("00000000000000aa", "lounge", "alice", "alice", 2));
        Assert.Contains(_state.Messages("#general"), m => m.Text.Contains("/room join 00000000000000aa"));
        Assert.Equal("/room join 00000000000000aa", _state.TakeOffer()?.AcceptLine);   // also put to the user in the offer dialog (answered there)
        _binder.Apply(new RoomJoinedEvent("00000000000000aa", "lounge", "alice"));
        _binder.Apply(new RoomStateEvent("00000000000000aa", "lounge", 4, 1, "alice", ["bob", "carol"], 0,
            [new("carol", "member", true, false, 2), new("alice", "creator", true, null, 0), new("bob", "member", false, true, 1)]));
        _binder.Apply(new MessageEvent("bob", "&lounge", "hi room", DateTimeOffset.UnixEpoch, false, "room", true, 1));
        _binder.Apply(new RoomHostEvent("00000000000000aa", "bob", ["carol", "alice"], 2, "failover"));
        Assert.True(_state.HasBuffer("&lounge"));
        Assert.Contains(_state.Messages("&lounge"), m => m.Text == "hi room");
        Assert.Contains(_state.Messages("&lounge"), m => m.Text.Contains("host: bob (failover"));
        var plain = string.Join('\n', HeadlessScreen.LinesOf(_state, 120, 30));
        Assert.Contains("★alice", plain);
        Assert.Contains("2·bob", plain);
        Assert.Contains("3·carol", plain);
        // /room members (room_state) says whose address the host sees: bob reaches it directly, carol through the relay.
        Assert.EndsWith("host sees the address of bob · not of carol (relay)", _state.Summary("&lounge")!.Title);
    }
}

// Room invitations in the TUI: each one is put to the user in the offer dialog, and the answer becomes /room join or /room decline.
using P2PChat.Peer.Rooms;
using P2PChat.Peer.Tests.Tui.Screen;
using P2PChat.Peer.Tests.Tui.Support;
using P2PChat.Peer.Tui.Binding;
using P2PChat.Peer.Tui.State;
using Terminal.Gui.Input;
using Xunit;

namespace P2PChat.Peer.Tests.Tui.Binding;

[Collection(TerminalGuiCollection.Name)]
public sealed class RoomInvitationDialogTests
{
    private readonly ChatViewState _state = new(TuiTestTime.Clock());

    [Fact]
    public void An_invitation_is_queued_for_the_offer_dialog_with_the_join_and_decline_lines()
    {
        var binder = new ClientEventBinder(_state);
        binder.Apply(new RoomInviteEvent("00000000000000aa", "lounge", "alice", "bob", 3));
        var offer = Assert.IsType<PendingOffer>(_state.TakeOffer());
        Assert.Equal((OfferKind.RoomInvitation, "alice", "&lounge"), (offer.View.Kind, offer.View.From, offer.View.Subject));
        Assert.Equal("3 members, hosted by bob", offer.View.Detail);
        Assert.Equal(("/room join 00000000000000aa", "/room decline 00000000000000aa"), (offer.AcceptLine, offer.RejectLine));
        Assert.Null(_state.TakeOffer());

        // Names come from other users: what the dialog shows is sanitised.
        binder.Apply(new RoomInviteEvent("00000000000000bb", "poker\u001b[2Jnight", "mallory", "mallory", 4));
        Assert.DoesNotContain("\u001b", P2PChat.Peer.Tui.Screen.OfferDialog.TextOf(_state.TakeOffer()!.View));
    }

    [Fact]
    public void The_screen_asks_about_each_invitation_in_turn_and_submits_join_on_accept_and_decline_on_reject_or_esc()
    {
        using var screen = new HeadlessScreen(_state, 100, 30);
        var binder = new ClientEventBinder(_state);
        binder.Apply(new RoomInviteEvent("00000000000000aa", "lounge", "alice", "alice", 2));
        binder.Apply(new RoomInviteEvent("00000000000000bb", "poker\u001b[2Jnight", "mallory", "mallory", 4));
        binder.Apply(new RoomInviteEvent("00000000000000cc", "quiet", "carol", "dave", 5));
        string shown = "";
        PanelsTests.WhileModal(screen, () => { screen.Window.Answer(screen.App, _state.TakeOffer()!); return true; }, s => shown = s, Key.A);
        Assert.Contains("Room invitation", shown);
        Assert.Contains("alice invites you to the room &lounge", shown);
        Assert.Contains("2 members, hosted by alice", shown);
        PanelsTests.WhileModal(screen, () => { screen.Window.Answer(screen.App, _state.TakeOffer()!); return true; }, s => shown = s, Key.R);
        Assert.Contains("mallory invites you to the room &poker", shown);
        PanelsTests.WhileModal(screen, () => { screen.Window.Answer(screen.App, _state.TakeOffer()!); return true; }, s => shown = s, Key.Esc);
        Assert.Contains("carol invites you to the room &quiet", shown);
        Assert.Equal(["/room join 00000000000000aa", "/room decline 00000000000000bb", "/room decline 00000000000000cc"], screen.Submitted);
        Assert.Null(_state.TakeOffer());
    }
}

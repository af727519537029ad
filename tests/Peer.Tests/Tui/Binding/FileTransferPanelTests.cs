// File events in the TUI: an offer asks accept/reject in the modal dialog and submits the answer; transfers get bars.
using P2PChat.Peer.Files;
using P2PChat.Peer.Tests.Tui.Screen;
using P2PChat.Peer.Tests.Tui.Support;
using P2PChat.Peer.Tui.Binding;
using P2PChat.Peer.Tui.State;
using Terminal.Gui.Input;
using Xunit;
using TransferDirection = P2PChat.Peer.Tui.State.TransferDirection;
using TransferStatus = P2PChat.Peer.Tui.State.TransferStatus;

namespace P2PChat.Peer.Tests.Tui.Binding;

[Collection(TerminalGuiCollection.Name)]
public sealed class FileTransferPanelTests
{
    private const string Id = "0123456789abcdef0123456789abcdef";
    private readonly ChatViewState _state = new(TuiTestTime.Clock());

    [Fact]
    public void An_offer_waits_for_the_dialog_and_a_transfer_moves_from_waiting_to_running_to_done_in_the_panel()
    {
        var binder = new ClientEventBinder(_state);
        binder.Apply(new FileOfferEvent(Id, "bob", "report.pdf", 2_000_000, 1, 0));
        var offer = Assert.IsType<PendingOffer>(_state.TakeOffer());
        Assert.Equal((OfferKind.File, "bob", "report.pdf"), (offer.View.Kind, offer.View.From, offer.View.Subject));
        Assert.Equal(($"/accept {Id}", $"/reject {Id}"), (offer.AcceptLine, offer.RejectLine));
        Assert.Null(_state.TakeOffer());
        Assert.Empty(_state.Transfers()); // not in the panel until accepted

        binder.Apply(new FileAcceptedEvent(Id, "receive", "bob", "/tmp/report.pdf"));
        binder.Apply(new FileProgressEvent(Id, "receive", 500_000, 2_000_000, 1_000_000, 1));
        var running = Assert.Single(_state.Transfers());
        Assert.Equal(("bob", "report.pdf", TransferStatus.Running, TransferDirection.Receiving, 0.25f), (running.Peer, running.File, running.Status, running.Direction, running.Fraction));
        binder.Apply(new FileDoneEvent(Id, "receive", "bob", "/tmp/report.pdf", null, 1, 2_000_000));
        Assert.Equal((TransferStatus.Done, 1f), (_state.Transfers()[0].Status, _state.Transfers()[0].Fraction));

        binder.Apply(new FileOfferedEvent("ffff" + Id[4..], "carol", "photo.jpg", 10, 1));
        Assert.Equal(TransferStatus.Waiting, _state.Transfers()[1].Status);
        binder.Apply(new FileCancelledEvent("ffff" + Id[4..], "send", "peer", "cancelled"));
        Assert.Single(_state.Transfers());
    }

    [Fact]
    public void The_screen_puts_an_offer_to_the_user_in_the_offer_dialog_and_submits_the_answer()
    {
        using var screen = new HeadlessScreen(_state, 100, 30);
        var binder = new ClientEventBinder(_state);
        binder.Apply(new FileOfferEvent(Id, "bob", "album", 5_000_000, 3, 2));
        binder.Apply(new FileOfferEvent("ffff" + Id[4..], "carol", "x.bin", 10, 1, 0));
        string shown = "";
        PanelsTests.WhileModal(screen, () => { screen.Window.Answer(screen.App, _state.TakeOffer()!); return true; }, s => shown = s, Key.A);
        Assert.Contains("Incoming file", shown);
        Assert.Contains("bob wants to send you the folder album", shown);
        PanelsTests.WhileModal(screen, () => { screen.Window.Answer(screen.App, _state.TakeOffer()!); return true; }, s => shown = s, Key.Esc);
        Assert.Contains("carol wants to send you x.bin", shown);
        Assert.Equal([$"/accept {Id}", $"/reject ffff{Id[4..]}"], screen.Submitted);
        Assert.Null(_state.TakeOffer());
    }
}

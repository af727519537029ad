// The widgets the files and rooms issues need, in isolation: offer dialog, file browser, transfers panel, room roles.
using P2PChat.Peer.Tests.Tui.Support;
using P2PChat.Peer.Tui.Screen;
using P2PChat.Peer.Tui.State;
using P2PChat.Peer.Tui.Widgets;

using Terminal.Gui.Input;
using Terminal.Gui.Testing;
using Xunit;

namespace P2PChat.Peer.Tests.Tui.Screen;

[Collection(TerminalGuiCollection.Name)]
public sealed class PanelsTests
{
    private readonly ChatViewState _state = new(TuiTestTime.Clock());

    /// <summary>Runs <paramref name="keys"/> once the modal is up (the main loop's first timer tick), then returns what the modal returned.</summary>
    internal static T WhileModal<T>(HeadlessScreen screen, Func<T> modal, Action<string> atScreen, params Key[] keys)
    {
        screen.App.AddTimeout(TimeSpan.Zero, () =>
        {
            screen.App.LayoutAndDraw(true);
            atScreen(screen.App.Driver!.ToString()!);
            foreach (var key in keys) screen.App.GetInputInjector().InjectKey(key, new InputInjectionOptions());
            return false;
        });
        bool timedOut = false;
        var safetyNet = screen.App.AddTimeout(TimeSpan.FromSeconds(20), () =>
        {
            timedOut = true;
            screen.App.RequestStop();
            return false;
        });
        try
        {
            var result = modal();
            Assert.False(timedOut, "the modal did not close on the keys");
            return result;
        }
        finally
        {
            screen.App.RemoveTimeout(safetyNet!);
        }
    }

    [Fact]
    public void The_offer_dialog_shows_a_sanitised_offer_accepts_with_a_and_rejects_by_default()
    {
        using var screen = new HeadlessScreen(_state, 100, 30);
        var offer = new OfferView(OfferKind.File, "bob\e[2J", "report.pdf", "2.4 MB");
        string shown = "";
        Assert.False(WhileModal(screen, () => OfferDialog.Ask(screen.App, offer), s => shown = s, Key.Enter)); // Enter alone rejects: the safe default
        bool accepted = WhileModal(screen, () => OfferDialog.Ask(screen.App, offer), s => shown = s, Key.A);
        Assert.True(accepted);
        Assert.Contains("Incoming file", shown);
        Assert.Contains("wants to send you report.pdf", shown);
        Assert.Contains("Accept", shown);
        Assert.DoesNotContain("\e", OfferDialog.TextOf(offer));

        var invitation = new OfferView(OfferKind.RoomInvitation, "carol", "&lan-party");
        bool rejected = !WhileModal(screen, () => OfferDialog.Ask(screen.App, invitation), s => shown = s, Key.Esc);
        Assert.True(rejected);
        Assert.Contains("invites you to the room &lan-party", shown);
    }

    [Fact]
    public void Send_without_a_path_opens_the_file_browser_and_cancelling_sends_nothing()
    {
        Assert.Equal("bob", SendCommand.UserWithoutPath("/send @bob"));
        Assert.Null(SendCommand.UserWithoutPath("/send bob notes.txt"));
        Assert.Equal("/send bob \"/tmp/my file.txt\"", SendCommand.WithPath("bob", "/tmp/my file.txt"));

        using var folder = new P2PChat.TestSupport.TempDirectory("p2pchat-files");
        File.WriteAllText(Path.Combine(folder.Path, "notes.txt"), "hello");
        using var screen = new HeadlessScreen(_state, 100, 30);
        string shown = "";
        var chosen = WhileModal(screen, () => FileChooser.Choose(screen.App, "Send a file to bob", folder.Path), s => shown = s, Key.Esc);
        Assert.Null(chosen);
        Assert.Contains("Send a file to bob", shown);
        Assert.Contains("notes.txt", shown);
    }

    [Fact]
    public void The_transfers_panel_shows_a_progress_bar_per_transfer_under_the_messages()
    {
        using var screen = new HeadlessScreen(_state, 100, 30);
        Assert.DoesNotContain("report.pdf", screen.Text());
        _state.SetTransfer(new TransferView("t1", "bob", "report.pdf", 50, 100, TransferDirection.Receiving, TransferStatus.Running));
        _state.SetTransfer(new TransferView("t2", "carol", "photo.jpg", 0, 0, TransferDirection.Sending, TransferStatus.Waiting));
        var lines = screen.Lines();
        var row = lines.Single(l => l.Contains("↓ bob  report.pdf  50%"));
        Assert.Contains("▌", row.Replace("█", "▌")); // the bar is drawn with block characters
        Assert.Contains(lines, l => l.Contains("↑ carol  photo.jpg  waiting"));
        Assert.Equal(lines.Length - 3, Array.FindIndex(lines, l => l.Contains("photo.jpg"))); // just above the status line

        _state.SetTransfer(new TransferView("t1", "bob", "report.pdf", 100, 100, TransferDirection.Receiving, TransferStatus.Done));
        _state.RemoveTransfer("t2");
        lines = screen.Lines();
        Assert.Contains(lines, l => l.Contains("↓ bob  report.pdf  done"));
        Assert.DoesNotContain(lines, l => l.Contains("photo.jpg"));
    }

    [Fact]
    public void A_room_member_list_names_the_host_and_numbers_the_succession()
    {
        _state.SetMembers("&lan", [new Member("alice", MemberPresence.Online), new Member("bob", MemberPresence.Online), new Member("carol", MemberPresence.Online)]);
        _state.SetRoomRoles("&lan", "bob", ["carol", "alice"]);
        var rows = MemberListWidget.Render(_state.Buffers.Find("&lan")!, 16, 5).Select(r => r.PlainText().TrimEnd()).ToList();
        Assert.Equal(["host bob", "+alice 2", "*bob", "+carol 1", ""], rows);
        Assert.Contains(MemberListWidget.Render(_state.Buffers.Find("&lan")!, 16, 5)[2], run => run.Text == "bob" && run.Style == Theme.MemberHost);
    }
}

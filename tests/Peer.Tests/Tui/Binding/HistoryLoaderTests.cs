// Stored history becomes scrollback at start: every conversation, oldest first, old mentions highlighted, no counters.
using P2PChat.Peer.History;
using P2PChat.Peer.Tui.Binding;
using P2PChat.Peer.Tui.State;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Peer.Tests.Tui.Binding;

public sealed class HistoryLoaderTests
{
    private static readonly DateTimeOffset Yesterday = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    private static HistoryEntry Line(string buffer, string sender, string text, HistoryKind kind = HistoryKind.Message, int minute = 0) =>
        new(0, buffer, sender, text, Yesterday.AddMinutes(minute), kind, false, false);

    [Fact]
    public void Every_conversation_opens_with_its_lines_and_no_unread_counts()
    {
        using var dir = new TempDirectory();
        using var store = HistoryStore.OpenInProfile(dir.Path);
        store.Append(Line("#general", "alice", "morning"));
        store.Append(Line("@bob", "bob", "hey @carol", minute: 1));
        store.Append(Line("@bob", "carol", "hey bob", HistoryKind.Own, minute: 2));
        store.Append(Line("weird", "x", "not a buffer id"));
        var state = new ChatViewState();
        state.SetMyNick("carol");

        Assert.Equal(3, HistoryLoader.Load(store, state));

        Assert.Equal(["#general", "@bob"], state.BufferIdsInOrder());
        var bob = state.Messages("@bob");
        Assert.Equal([("hey @carol", MessageKind.Normal, true), ("hey bob", MessageKind.Own, false)], bob.Select(m => (m.Text, m.Kind, m.Highlight)));
        Assert.Equal(Yesterday.AddMinutes(1), bob[0].Time);
        Assert.Equal((0, 0), (state.Summary("@bob")!.Unread, state.Summary("@bob")!.Highlights));
    }

    [Fact]
    public void Only_the_last_lines_per_buffer_are_loaded()
    {
        using var dir = new TempDirectory();
        using var store = HistoryStore.OpenInProfile(dir.Path);
        for (var i = 0; i < 30; i++) store.Append(Line("#general", "alice", $"line {i}", minute: i));
        var state = new ChatViewState();

        HistoryLoader.Load(store, state, perBuffer: 10);

        Assert.Equal(Enumerable.Range(20, 10).Select(i => $"line {i}"), state.Messages("#general").Select(m => m.Text));
    }
}

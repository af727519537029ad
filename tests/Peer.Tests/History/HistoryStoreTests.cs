// The local history database: order, paging for scrollback, survival across reopen, refusal of a newer schema.
using Microsoft.Data.Sqlite;
using P2PChat.Peer.History;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Peer.Tests.History;

public class HistoryStoreTests
{
    private static HistoryEntry Line(string buffer, string text, int minute) =>
        new(0, buffer, "alice", text, new DateTimeOffset(2026, 11, 20, 9, minute, 0, TimeSpan.Zero), HistoryKind.Message, false, false);

    [Fact]
    public void Lines_come_back_in_order_per_buffer_and_survive_reopening()
    {
        using var dir = new TempDirectory();
        using (var store = HistoryStore.OpenInProfile(dir.Path))
        {
            for (var i = 0; i < 30; i++) store.Append(Line(i % 2 == 0 ? "#general" : "@bob", $"line {i}", i));
        }

        using var reopened = HistoryStore.OpenInProfile(dir.Path);
        var general = reopened.Recent("#general");
        Assert.Equal(Enumerable.Range(0, 15).Select(i => $"line {i * 2}"), general.Select(l => l.Text));
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 9, 28, 0, TimeSpan.Zero), general[^1].SentAt);
        Assert.Equal(["@bob", "#general"], reopened.Buffers());
    }

    [Fact]
    public void Scrollback_pages_backwards_from_an_id()
    {
        using var dir = new TempDirectory();
        using var store = HistoryStore.OpenInProfile(dir.Path);
        for (var i = 0; i < 12_000; i++) store.Append(Line("#general", $"{i}", i % 60));

        var last = store.Recent("#general");
        Assert.Equal(10_000, last.Count);
        Assert.Equal("2000", last[0].Text);
        var earlier = store.Recent("#general", 500, last[0].Id);
        Assert.Equal(Enumerable.Range(1500, 500).Select(i => $"{i}"), earlier.Select(l => l.Text));
    }

    [Fact]
    public async Task The_log_is_checkpointed_off_the_append_path_and_nothing_is_lost()
    {
        using var dir = new TempDirectory();
        var lines = 2 * HistoryCheckpointer.AppendsPerCheckpoint + 7;
        using (var store = HistoryStore.OpenInProfile(dir.Path))
        {
            for (var i = 0; i < HistoryCheckpointer.AppendsPerCheckpoint; i++) store.Append(Line("@bob", $"{i}", i % 60));
            await store.CheckpointIdleAsync();
            Assert.Equal(1, store.Checkpointer.Completed);
            Assert.True(store.Checkpointer.LastResult.Log > 0);
            Assert.Equal(store.Checkpointer.LastResult.Log, store.Checkpointer.LastResult.Checkpointed);   // nothing was writing meanwhile
            for (var i = HistoryCheckpointer.AppendsPerCheckpoint; i < lines; i++) store.Append(Line("@bob", $"{i}", i % 60));
        }

        using var reopened = HistoryStore.OpenInProfile(dir.Path);
        Assert.Equal(Enumerable.Range(0, lines).Select(i => $"{i}"), reopened.Recent("@bob").Select(l => l.Text));
    }

    [Fact]
    public void A_database_from_a_newer_version_is_refused_clearly()
    {
        using var dir = new TempDirectory();
        using (var store = HistoryStore.OpenInProfile(dir.Path)) store.Append(Line("#general", "x", 1));
        using (var raw = new SqliteConnection($"Data Source={dir.Combine("history.db")};Pooling=False"))
        {
            raw.Open();
            using var cmd = raw.CreateCommand();
            cmd.CommandText = "PRAGMA user_version = 99";
            cmd.ExecuteNonQuery();
        }

        var ex = Assert.Throws<InvalidOperationException>(() => HistoryStore.OpenInProfile(dir.Path));
        Assert.Contains("newer", ex.Message);
    }
}

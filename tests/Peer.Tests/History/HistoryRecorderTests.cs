// The history recorder stores every message line (incoming, offline, own) before passing the event on.
using Microsoft.Data.Sqlite;
using P2PChat.Peer.Server;
using P2PChat.Peer.Events;
using P2PChat.Peer.History;
using P2PChat.Peer.Tests.Fakes;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Peer.Tests.History;

public sealed class HistoryRecorderTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 20, 9, 30, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private readonly HistoryStore _store;

    public HistoryRecorderTests() => _store = HistoryStore.OpenInProfile(_dir.Path);

    public void Dispose()
    {
        _store.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void A_message_is_on_disk_before_the_next_sink_sees_it()
    {
        var storedWhenSeen = new List<int>();
        var recorder = new HistoryRecorder(_store, new CallbackSink(_ => storedWhenSeen.Add(_store.Recent("@bob").Count)));

        recorder.Publish(new MessageEvent("bob", "carol", "offline hello", At, true, "server", false, 7));

        Assert.Equal([1], storedWhenSeen);
        var line = Assert.Single(_store.Recent("@bob"));
        Assert.Equal(("bob", "offline hello", At, HistoryKind.Message, true), (line.Sender, line.Text, line.SentAt, line.Kind, line.Offline));
    }

    [Fact]
    public void Channel_and_private_messages_and_own_lines_are_filed_by_conversation()
    {
        var sink = new ListEventSink();
        var time = new ManualTimeProvider(At);
        var recorder = new HistoryRecorder(_store, sink, time);
        recorder.Publish(new SignedInEvent("carol", 1, "carol", false));
        recorder.Publish(new MessageEvent("alice", "#rust", "crabs", At, false, "server", false, 1));
        recorder.Publish(new MessageEvent("alice", "carol", "hi carol", At, false, "server", true, 2));
        recorder.RecordOwn("alice", "hi alice");
        recorder.RecordOwn("#rust", "crabs!");

        Assert.Equal(["crabs", "crabs!"], _store.Recent("#rust").Select(l => l.Text));
        var alice = _store.Recent("@alice");
        Assert.Equal([("alice", HistoryKind.Message, true), ("carol", HistoryKind.Own, false)], alice.Select(l => (l.Sender, l.Kind, l.Encrypted)));
        Assert.Equal(3, sink.Events.Count); // every event passed on, none added for own lines
    }

    [Fact]
    public void A_failed_write_is_reported_and_the_event_still_passes()
    {
        var sink = new ListEventSink();
        var recorder = new HistoryRecorder(_store, sink);
        using (var other = new SqliteConnection($"Data Source={_dir.Combine("history.db")};Pooling=False"))
        {
            other.Open();
            using var drop = other.CreateCommand();
            drop.CommandText = "DROP TABLE lines"; // every write now fails inside SQLite
            drop.ExecuteNonQuery();
        }

        recorder.Publish(new MessageEvent("alice", "#general", "hello", At, false, "server", false, 1));

        var error = Assert.IsType<ErrorEvent>(sink.Events[0]);
        Assert.Equal((int)PeerErrorCode.HistoryFailed, error.Code);
        Assert.IsType<MessageEvent>(sink.Events[1]);
    }

    private sealed class CallbackSink(Action<ClientEvent> onPublish) : IEventSink
    {
        public void Publish(ClientEvent e) => onPublish(e);
    }
}

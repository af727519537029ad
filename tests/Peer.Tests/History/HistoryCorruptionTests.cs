// A damaged history.db (empty, not a database, corrupt pages) is refused and kept aside with a reason, never silently replaced.
using Microsoft.Data.Sqlite;
using P2PChat.Peer.History;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Peer.Tests.History;

public sealed class HistoryCorruptionTests
{
    private static readonly ManualTimeProvider Clock = new(new DateTimeOffset(2026, 12, 5, 14, 30, 0, TimeSpan.Zero));

    private static HistoryEntry Line(string text) =>
        new(0, "#general", "alice", text, Clock.GetUtcNow(), HistoryKind.Message, false, false);

    public static TheoryData<string> Damage => ["empty", "not a database", "corrupt pages"];

    [Theory]
    [MemberData(nameof(Damage))]
    public void A_damaged_history_is_refused_then_kept_aside_and_reported(string damage)
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("history.db");
        var original = MakeDamaged(path, damage);

        var refused = Assert.Throws<HistoryDamagedException>(() => new HistoryStore(path));
        Assert.Contains("history.db is damaged", refused.Message);
        Assert.Equal(original, File.ReadAllBytes(path));                      // refusing changes nothing

        using var store = HistoryStore.OpenOrSetAside(path, Clock);
        Assert.Equal(path + ".damaged-20261205T143000Z", store.SetAside);
        Assert.False(string.IsNullOrEmpty(store.SetAsideReason));
        Assert.Equal(original, File.ReadAllBytes(store.SetAside!));          // the damaged file is kept, byte for byte
        store.Append(Line("a fresh start"));                                   // and the new one works
        Assert.Equal(["a fresh start"], store.Recent("#general").Select(l => l.Text));
    }

    [Fact]
    public void A_healthy_history_is_opened_as_it_is()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("history.db");
        using (var first = new HistoryStore(path)) first.Append(Line("kept"));
        using var again = HistoryStore.OpenOrSetAside(path, Clock);
        Assert.Null(again.SetAside);
        Assert.Equal(["kept"], again.Recent("#general").Select(l => l.Text));
    }

    private static byte[] MakeDamaged(string path, string damage)
    {
        switch (damage)
        {
            case "empty":
                File.WriteAllBytes(path, []);
                break;
            case "not a database":
                File.WriteAllBytes(path, "this is not an SQLite file, but it is long enough to have a header."u8.ToArray());
                break;
            default:
                using (var db = new HistoryStore(path))
                    for (var i = 0; i < 300; i++) db.Append(Line(new string('x', 200) + i));
                SqliteConnection.ClearAllPools();
                var bytes = File.ReadAllBytes(path);
                // Keep the 100-byte header (so SQLite opens it) and scribble over the b-tree pages behind it.
                for (var i = 4096; i < bytes.Length; i += 7) bytes[i] ^= 0x5A;
                File.WriteAllBytes(path, bytes);
                break;
        }
        return File.ReadAllBytes(path);
    }
}

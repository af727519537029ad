// Tests the profile file: empty when missing, saved atomically, never a password, updated from events.
using P2PChat.Core.Protocol;
using P2PChat.Peer.Server;
using P2PChat.Peer.Events;
using P2PChat.Peer.Profile;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Peer.Tests.Profile;

public sealed class ProfileStoreTests
{
    [Fact]
    public void A_missing_profile_is_empty_and_a_saved_one_reads_back()
    {
        using var dir = new TempDirectory();
        var store = new ProfileStore(dir.Combine("p"));
        Assert.Equal(new PeerProfile(), store.Load());
        store.Save(new PeerProfile("h:1", "alice", "AA:BB"));
        Assert.Equal(new PeerProfile("h:1", "alice", "AA:BB"), new ProfileStore(dir.Combine("p")).Load());
        Assert.Equal([ProfileStore.FileName], Directory.GetFiles(dir.Combine("p")).Select(Path.GetFileName));
        Assert.Contains("\"server_fingerprint\"", File.ReadAllText(store.FilePath));
    }

    [Fact]
    public void A_corrupt_profile_is_reported()
    {
        using var dir = new TempDirectory();
        var store = new ProfileStore(dir.Path);
        File.WriteAllText(store.FilePath, "{not json");
        Assert.Throws<InvalidDataException>(store.Load);
    }

    [Fact]
    public void The_recorder_pins_on_first_use_and_remembers_the_user_but_no_password()
    {
        using var dir = new TempDirectory();
        var store = new ProfileStore(dir.Path);
        var recorder = new ProfileRecorder(store);
        recorder.Observe(new ConnectedEvent("h:1", "AA", PinOutcome.FirstUse, 1));
        recorder.Observe(new SignedInEvent("alice", Tag.User(1).Value, "Al", false));
        Assert.Equal(new PeerProfile("h:1", "alice", "AA"), store.Load());
        recorder.Observe(new ConnectedEvent("h:1", "BB", PinOutcome.Matched, 1));
        Assert.Equal("AA", store.Load().ServerFingerprint);
        recorder.Observe(new ConnectedEvent("h:1", "CC", PinOutcome.Replaced, 1));
        Assert.Equal("CC", store.Load().ServerFingerprint);
    }

    [Fact]
    public void An_empty_profile_is_a_clear_error()
    {
        using var dir = new TempDirectory();
        var store = new ProfileStore(dir.Path);
        File.WriteAllText(store.FilePath, "");
        var e = Assert.Throws<InvalidDataException>(store.Load);
        Assert.Contains("is damaged: it is empty", e.Message);
        Assert.Equal("", File.ReadAllText(store.FilePath));             // nothing changed
    }

    [Fact]
    public void A_flipped_byte_in_the_pinned_fingerprint_is_damage_not_a_changed_certificate()
    {
        using var dir = new TempDirectory();
        var store = new ProfileStore(dir.Path);
        var pin = string.Join(':', Enumerable.Repeat("AB", 32));
        store.Save(new PeerProfile("h:1", "alice", pin));
        var bytes = File.ReadAllBytes(store.FilePath);
        var at = System.Text.Encoding.UTF8.GetString(bytes).IndexOf(pin, StringComparison.Ordinal) + 3;
        bytes[at] ^= 0x02;                                                  // 'A' -> 'C': still a valid fingerprint
        File.WriteAllBytes(store.FilePath, bytes);

        var e = Assert.Throws<InvalidDataException>(store.Load);
        Assert.Contains("checksum does not match", e.Message);
        Assert.Contains("not a change of the server's certificate", e.Message);
    }

    [Fact]
    public void A_profile_from_before_checksums_still_loads_and_gets_one_when_saved()
    {
        using var dir = new TempDirectory();
        var store = new ProfileStore(dir.Path);
        File.WriteAllText(store.FilePath, "{ \"server\": \"h:1\", \"username\": \"bob\" }");
        Assert.Equal(new PeerProfile("h:1", "bob"), store.Load());
        store.Update(p => p with { Username = "bob2" });
        Assert.Contains("\"checksum\": \"sha256:", File.ReadAllText(store.FilePath));
    }
}

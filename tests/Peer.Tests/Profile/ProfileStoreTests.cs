// Tests the profile file: empty when missing, saved atomically, never a password, updated from events.
using P2PChat.Core.Protocol;
using P2PChat.Peer.Client;
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
}

// Tests the profile file: empty when missing, saved atomically, never a password, updated from events.
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
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

    /// <summary>profile.json as the reflection-based build (before the native AOT peer) wrote it.</summary>
    private const string OldFormat = """
        {
          "server": "chat.example.org:7777",
          "username": "alice",
          "server_fingerprint": "3F:A2:9C",
          "checksum": "sha256:ac89eabf4f4f4f6923eeeb3c73b8a54be90bf039213383856c52a141106a9d8e"
        }
        """;

    [Fact]
    public void A_profile_the_reflection_build_wrote_loads_and_is_saved_back_byte_for_byte()
    {
        var profile = new PeerProfile("chat.example.org:7777", "alice", "3F:A2:9C");
        // The fixture's checksum is what the old code computed: reflection-based JSON of the profile, snake_case, indented.
        var old = JsonSerializer.Serialize(profile, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true });
        Assert.Contains("sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(old))), OldFormat);
        using var dir = new TempDirectory();
        var store = new ProfileStore(dir.Path);
        File.WriteAllText(store.FilePath, OldFormat);
        Assert.Equal(profile, store.Load());
        store.Save(profile);
        Assert.Equal(OldFormat, File.ReadAllText(store.FilePath));
    }

    /// <summary>The record the reflection-based build serialized (ProfileStore's private StoredProfile, same fields).</summary>
    private sealed record OldStoredProfile(string? Server, string? Username, string? ServerFingerprint, string? Checksum);

    [Theory]
    [InlineData("h:1", "alice", "AA:BB")]
    [InlineData(null, "bob", null)]
    [InlineData("[::1]:7777", "zoë \"q\" <&> +'", "日本 \\ /")]
    public void The_file_is_byte_for_byte_what_the_reflection_serializer_wrote(string? server, string? user, string? fingerprint)
    {
        using var dir = new TempDirectory();
        var store = new ProfileStore(dir.Path);
        store.Save(new PeerProfile(server, user, fingerprint));
        var options = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };
        var checksum = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            JsonSerializer.Serialize(new PeerProfile(server, user, fingerprint), options))));
        Assert.Equal(JsonSerializer.Serialize(new OldStoredProfile(server, user, fingerprint, checksum), options), File.ReadAllText(store.FilePath));
        Assert.Equal(new PeerProfile(server, user, fingerprint), store.Load());
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"profile\"")]
    [InlineData("{\"server\": 5}")]
    [InlineData("null")]
    public void A_file_that_holds_no_profile_object_is_reported(string text)
    {
        using var dir = new TempDirectory();
        var store = new ProfileStore(dir.Path);
        File.WriteAllText(store.FilePath, text);
        Assert.Contains("is damaged", Assert.Throws<InvalidDataException>(store.Load).Message);
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

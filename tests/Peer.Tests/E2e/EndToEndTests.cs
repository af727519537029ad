// The peer's end-to-end policy without a server: key lifecycle at registration and sign-in, damaged files, sessions between two peers.
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Payloads;
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Peer.Server;
using P2PChat.Peer.E2e;
using P2PChat.Peer.Events;
using P2PChat.Peer.Tests.Fakes;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Peer.Tests.E2e;

public sealed class EndToEndTests : IDisposable
{
    private const string Password = "correct horse";
    private readonly TempDirectory _profile = new("p2pchat-e2e-policy");
    private readonly ListEventSink _events = new();

    public void Dispose() => _profile.Dispose();

    private EndToEnd SignedIn(string user, out Prekeys published)
    {
        var e2e = new EndToEnd(_events, TimeProvider.System, _profile.Path);
        e2e.Keys.OpenForSignIn(user, Password);
        var frames = e2e.Keys.AfterSignIn([]);
        Assert.IsType<IdentityChange>(frames[0]); // a profile without keys makes and publishes a new identity
        published = Assert.IsType<Prekeys>(frames[1]);
        Assert.Equal(AccountKeyring.OneTimePrekeyTarget, published.OneTimePrekeys.Count);
        return e2e;
    }

    [Fact]
    public void Registering_again_replaces_every_key_file_sealed_under_the_old_vault()
    {
        var files = new KeyFiles(_profile.Path, "alice");
        using (var e2e = new EndToEnd(_events, TimeProvider.System, _profile.Path))
        {
            var first = e2e.Keys.PrepareRegistration("alice", Password);
            e2e.Keys.FinishRegistration(registered: true);
            File.WriteAllBytes(Path.Combine(files.Folder, KeyFiles.SessionFile("bob")), [1, 2, 3]);
            var second = e2e.Keys.PrepareRegistration("alice", "another password");
            e2e.Keys.FinishRegistration(registered: true);
            Assert.NotEqual(first, second);
        }
        Assert.Null(files.Read(KeyFiles.SessionFile("bob")));
        using var reopened = AccountKeys.Open(files, "another password");
    }

    [Fact]
    public void A_refused_registration_writes_nothing()
    {
        using var e2e = new EndToEnd(_events, TimeProvider.System, _profile.Path);
        Assert.Equal(IdentityPublicKey.EncodedLength, e2e.Keys.PrepareRegistration("alice", Password)!.Length);
        e2e.Keys.FinishRegistration(registered: false);
        Assert.False(new KeyFiles(_profile.Path, "alice").Exists);
    }

    [Fact]
    public void A_wrong_password_leaves_encryption_off_and_says_why()
    {
        using (var e2e = SignedIn("alice", out _)) { }
        using var again = new EndToEnd(_events, TimeProvider.System, _profile.Path);
        again.Keys.OpenForSignIn("alice", "not the password");
        Assert.False(again.Keys.IsOpen);
        Assert.Contains("password", again.Keys.OpenProblem);
        Assert.Empty(again.Keys.AfterSignIn([]));
        Assert.Equal((int)PeerErrorCode.E2eUnavailable,
            Assert.Throws<CommandFailedException>(() => again.Pairwise.Encrypt("bob", PmPayload.EncodeText("hi"))).Code);
    }

    [Fact]
    public void Two_peers_talk_through_their_policies_and_a_damaged_session_file_is_a_decrypt_failure()
    {
        using var alice = SignedIn("alice", out var alicePrekeys);
        using var bobSide = new TempDirectory("p2pchat-e2e-bob");
        using var bob = new EndToEnd(_events, TimeProvider.System, bobSide.Path);
        bob.Keys.OpenForSignIn("bob", Password);
        var bobIdentity = Assert.IsType<IdentityChange>(bob.Keys.AfterSignIn([])[0]).IdentityKey;
        var aliceIdentity = alice.Keys.MyIdentity!;

        var bundle = new Bundle(Tag.User(1), aliceIdentity, alicePrekeys.SignedPrekey, alicePrekeys.OneTimePrekeys[0]);
        var envelope = Assert.IsType<SendPlan.Envelope>(bob.Pairwise.EncryptWithBundle("alice", bundle, PmPayload.EncodeText("hello alice"))).Bytes;
        var first = alice.Pairwise.Decrypt("bob", envelope, 1, false)!;
        Assert.Equal(("hello alice", "trusted"), (first.Text, first.KeyStatus));
        Assert.Null(alice.Pairwise.Decrypt("bob", envelope, 2, false)); // a replay
        Assert.Equal(2ul, Assert.Single(_events.Events.OfType<DecryptFailedEvent>()).MessageId);
        var reply = Assert.IsType<SendPlan.Envelope>(alice.Pairwise.Encrypt("bob", PmPayload.EncodeText("hello bob"))).Bytes;
        Assert.Equal("hello bob", bob.Pairwise.Decrypt("alice", reply, 3, false)!.Text);
        Assert.Equal(IdentityFingerprint.Group(IdentityFingerprint.Compute("bob", IdentityPublicKey.Decode(bobIdentity))), alice.Contacts.Safety("bob").Fingerprint);

        using var restarted = new EndToEnd(_events, TimeProvider.System, _profile.Path);
        restarted.Keys.OpenForSignIn("alice", Password);
        var sessionFile = Path.Combine(new KeyFiles(_profile.Path, "alice").Folder, KeyFiles.SessionFile("bob"));
        var sealedSession = File.ReadAllBytes(sessionFile);
        int slotSize = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(sealedSession.AsSpan(8));
        for (int slot = 0; slot < SlotFile.SlotCount; slot++) sealedSession[SlotFile.PageSize + slot * slotSize + 100] ^= 1;   // every record damaged
        File.WriteAllBytes(sessionFile, sealedSession);
        var next = Assert.IsType<SendPlan.Envelope>(bob.Pairwise.Encrypt("alice", PmPayload.EncodeText("still there?"))).Bytes;
        Assert.Null(restarted.Pairwise.Decrypt("bob", next, 4, false));
        Assert.Contains(_events.Events.OfType<DecryptFailedEvent>(), d => d.MessageId == 4 && d.Reason.StartsWith("AuthenticationFailed", StringComparison.Ordinal));
    }

    [Fact]
    public void Held_messages_are_sealed_in_the_profile_and_released_by_trust_in_the_next_session()
    {
        using var bobKey = IdentityKeyPair.Generate();
        using var bobNewKey = IdentityKeyPair.Generate();
        var heldFile = Path.Combine(new KeyFiles(_profile.Path, "alice").Folder, KeyFiles.HeldFile);
        using (var alice = SignedIn("alice", out _))
        {
            alice.Contacts.ObserveAnnounced("bob", bobKey.Public.Encode());
            alice.Contacts.ObserveAnnounced("bob", bobNewKey.Public.Encode()); // a key change: PMs to bob wait for /trust
            Assert.IsType<SendPlan.Held>(alice.Pairwise.Encrypt("bob", PmPayload.EncodeText("held one")));
            Assert.IsType<SendPlan.Held>(alice.Pairwise.Encrypt("bob", PmPayload.EncodeText("held two")));
            Assert.Equal(-1, File.ReadAllBytes(heldFile).AsSpan().IndexOf("held one"u8)); // sealed, not readable
        }

        using (var restarted = new EndToEnd(_events, TimeProvider.System, _profile.Path))
        {
            restarted.Keys.OpenForSignIn("alice", Password);
            var still = _events.Events.OfType<MessageHeldEvent>().Last();
            Assert.Equal(("bob", 2), (still.To, still.Held));
            Assert.Contains("earlier session", still.Text);
            Assert.IsType<SendPlan.Held>(restarted.Pairwise.Encrypt("bob", PmPayload.EncodeText("held three")));

            var released = restarted.Contacts.Trust("bob");

            Assert.Equal(["held one", "held two", "held three"], released.Select(p => PmPayload.DecodeText(p)));
            Assert.False(File.Exists(heldFile));
        }

        var before = _events.Events.Count;
        using var third = new EndToEnd(_events, TimeProvider.System, _profile.Path);
        third.Keys.OpenForSignIn("alice", Password);
        Assert.DoesNotContain(_events.Events.Skip(before), e => e is MessageHeldEvent);
        Assert.Throws<CommandFailedException>(() => third.Contacts.Trust("bob")); // nothing pending any more
    }

    [Fact]
    public void A_damaged_held_messages_file_leaves_encryption_off_and_says_why()
    {
        using var bobKey = IdentityKeyPair.Generate();
        using var bobNewKey = IdentityKeyPair.Generate();
        using (var alice = SignedIn("alice", out _))
        {
            alice.Contacts.ObserveAnnounced("bob", bobKey.Public.Encode());
            alice.Contacts.ObserveAnnounced("bob", bobNewKey.Public.Encode());
            Assert.IsType<SendPlan.Held>(alice.Pairwise.Encrypt("bob", PmPayload.EncodeText("held")));
        }
        var heldFile = Path.Combine(new KeyFiles(_profile.Path, "alice").Folder, KeyFiles.HeldFile);
        var bytes = File.ReadAllBytes(heldFile);
        bytes[^1] ^= 1;
        File.WriteAllBytes(heldFile, bytes);

        using var restarted = new EndToEnd(_events, TimeProvider.System, _profile.Path);
        restarted.Keys.OpenForSignIn("alice", Password);
        Assert.False(restarted.Keys.IsOpen);
        Assert.Contains("damaged", restarted.Keys.OpenProblem);
    }

    [Fact]
    public void A_profile_written_by_the_p256_version_is_refused_with_what_to_do_and_left_untouched()
    {
        // identity.bin as the P-256 version sealed it: "P2PV" | version 0x01 | PBKDF2 (0x01) | 600,000 | salt | verifier | nonce | ciphertext | tag.
        var files = new KeyFiles(_profile.Path, "alice");
        byte[] old = [.. "P2PV"u8, 0x01, 0x01, 0x00, 0x09, 0x27, 0xC0, .. Enumerable.Range(0, 16 + 16 + 12 + 65 + 16).Select(i => (byte)i)];
        files.Write(KeyFiles.IdentityFile, old);

        using var e2e = new EndToEnd(_events, TimeProvider.System, _profile.Path);
        e2e.Keys.OpenForSignIn("alice", Password);

        Assert.False(e2e.Keys.IsOpen);
        Assert.Contains("earlier P2PChat", e2e.Keys.OpenProblem);
        Assert.Contains(files.Folder, e2e.Keys.OpenProblem);
        Assert.Empty(e2e.Keys.AfterSignIn([])); // no new identity is published over the old one behind the user's back
        Assert.Equal(old, files.Read(KeyFiles.IdentityFile));
    }
}

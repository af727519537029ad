// End to end with real processes: PMs are end-to-end encrypted (the server stores ciphertext only), safety numbers, key changes.
using System.Text;
using Microsoft.Data.Sqlite;
using P2PChat.EndToEnd.Tests.Processes;
using Xunit;

namespace P2PChat.EndToEnd.Tests;

public sealed class HeadlessEncryptionTests
{
    [Fact]
    public async Task A_pm_to_an_offline_user_is_stored_as_ciphertext_only_and_read_at_sign_in()
    {
        const string Secret = "meet me at the old mill at midnight";
        await using var cluster = await Cluster.StartAsync();
        var alice = await cluster.WithKeysAsync("alice");
        var bob = await cluster.WithKeysAsync("bob");
        await bob.QuitAsync();
        await alice.WaitForPresenceAsync("bob", "offline");

        await alice.SendAsync($"/msg bob {Secret}");
        Assert.True((await alice.WaitForAsync("sent")).Bool("stored_offline"));

        var payloads = StoredOfflinePayloads(cluster.ServerData);
        var payload = Assert.Single(payloads);
        Assert.Equal(-1, payload.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Secret)));
        Assert.Equal(0x02, payload[0]); // envelope suite byte (0x02: X25519/Ed25519)
        Assert.Equal(0x02, payload[1]); // a prekey message: the first of a new session
        foreach (var file in Directory.GetFiles(cluster.ServerData, "rendezvous.db*"))
            Assert.Equal(-1, ReadShared(file).AsSpan().IndexOf(Encoding.UTF8.GetBytes("old mill")));

        var bobAgain = await Cluster.SignedInAsync(cluster.Peer("bob"), "bob");
        var message = await bobAgain.WaitForAsync("message", e => e.Is("from", "alice"));
        Assert.Equal(Secret, message.Str("text"));
        Assert.True(message.Bool("e2e"));
        Assert.True(message.Bool("offline"));
        Assert.Equal("trusted", message.Str("key_status"));

        // The reply goes back through the same session (a ratchet message now), and alice reads it.
        await bobAgain.SendAsync("/msg alice see you there");
        var reply = await alice.WaitForAsync("message", e => e.Is("from", "bob"));
        Assert.Equal(("see you there", true), (reply.Str("text"), reply.Bool("e2e")));
        Assert.DoesNotContain(alice.Events.Concat(bobAgain.Events), e => e.Is("event", "decrypt_failed"));
    }

    [Fact]
    public async Task Fingerprints_and_safety_numbers_agree_across_peers_and_verify_checks_them()
    {
        await using var cluster = await Cluster.StartAsync();
        var alice = await cluster.WithKeysAsync("alice");
        var bob = await cluster.WithKeysAsync("bob");

        await alice.SendAsync("/fingerprint");
        var fingerprint = (await alice.WaitForAsync("fingerprint")).Str("fingerprint");
        Assert.Matches(@"^\d{5}( \d{5}){5}$", fingerprint);
        await bob.SendAsync("/safety alice");
        var fromBob = await bob.WaitForAsync("contact_key", e => e.Is("user", "alice"));
        Assert.Equal(fingerprint, fromBob.Str("fingerprint"));
        await alice.SendAsync("/safety bob");
        var fromAlice = await alice.WaitForAsync("contact_key", e => e.Is("user", "bob"));
        Assert.Equal(fromBob.Str("safety_number"), fromAlice.Str("safety_number"));
        Assert.Matches(@"^\d{5}( \d{5}){11}$", fromAlice.Str("safety_number"));

        await alice.SendAsync("/verify bob 12345 67890");
        Assert.Equal(109, (await alice.WaitForAsync("error", e => e.Is("command", "verify"))).Int("code"));
        await alice.SendAsync($"/verify bob {fromBob.Str("safety_number")}");
        Assert.Equal("verified", (await alice.WaitForAsync("contact_key", e => e.Is("user", "bob") && e.Is("status", "verified"))).Str("status"));

        await alice.SendAsync("/msg bob verified hello");
        Assert.Equal("verified hello", (await bob.WaitForAsync("message", e => e.Is("from", "alice"))).Str("text"));
    }

    [Fact]
    public async Task A_new_identity_raises_key_changed_and_holds_messages_until_trust()
    {
        await using var cluster = await Cluster.StartAsync();
        var alice = await cluster.WithKeysAsync("alice");
        var bob = await cluster.WithKeysAsync("bob");
        await alice.SendAsync("/msg bob before");
        await bob.WaitForAsync("message", e => e.Is("text", "before"));
        await bob.QuitAsync();

        // bob lost his profile: a fresh one makes a new identity at sign-in and publishes it (IDENTITY).
        var newBob = await Cluster.SignedInAsync(cluster.Peer("bob-new-profile"), "bob");
        await newBob.WaitForAsync("status", e => e.Is("command", "prekeys"));
        var changed = await alice.WaitForAsync("key_changed", e => e.Is("user", "bob"));
        Assert.NotEqual(changed.Str("old_fingerprint"), changed.Str("new_fingerprint"));
        Assert.Contains("/trust bob", changed.Str("text"));

        await alice.SendAsync("/msg bob are you really bob?");
        Assert.Equal(1, (await alice.WaitForAsync("message_held", e => e.Is("to", "bob"))).Int("held"));
        await alice.SendAsync("/trust bob");
        var trusted = await alice.WaitForAsync("contact_key", e => e.Is("user", "bob"));
        Assert.Equal(("trusted", 1), (trusted.Str("status"), trusted.Int("released")));
        var released = await newBob.WaitForAsync("message", e => e.Is("from", "alice"));
        Assert.Equal(("are you really bob?", true), (released.Str("text"), released.Bool("e2e")));
    }

    [Fact]
    public async Task Invite_only_channels_are_end_to_end_encrypted_and_rekeyed_when_a_member_leaves_while_general_is_not()
    {
        await using var cluster = await Cluster.StartAsync();
        var alice = await cluster.WithKeysAsync("alice");
        var bob = await cluster.WithKeysAsync("bob");
        var carol = await cluster.WithKeysAsync("carol");
        await alice.SendAsync("/create #secret invite-only");
        await alice.WaitForAsync("joined", e => e.Is("channel", "#secret") && e.Is("user", "alice"));
        foreach (var (name, peer) in new[] { ("bob", bob), ("carol", carol) })
        {
            await alice.SendAsync($"/invite {name} #secret");
            await peer.WaitForAsync("invite", e => e.Is("channel", "#secret"));
            await peer.SendAsync("/join #secret");
            await alice.WaitForAsync("joined", e => e.Is("channel", "#secret") && e.Is("user", name));
        }
        await bob.WaitForAsync("joined", e => e.Is("channel", "#secret") && e.Is("user", "carol"));

        await alice.SendAsync("/msg #secret one");
        foreach (var peer in new[] { bob, carol })
        {
            var m = await peer.WaitForAsync("message", e => e.Is("to", "#secret") && e.Is("from", "alice"));
            Assert.Equal(("one", true), (m.Str("text"), m.Bool("e2e")));
        }
        await bob.SendAsync("/msg #secret from bob");
        Assert.Equal("from bob", (await carol.WaitForAsync("message", e => e.Is("from", "bob"))).Str("text"));
        Assert.True((await alice.WaitForAsync("message", e => e.Is("from", "bob"))).Bool("e2e"));

        await carol.SendAsync("/leave #secret");
        await alice.WaitForAsync("left", e => e.Is("channel", "#secret") && e.Is("user", "carol"));
        await bob.WaitForAsync("left", e => e.Is("channel", "#secret") && e.Is("user", "carol"));
        await alice.SendAsync("/msg #secret two");
        var two = await bob.WaitForAsync("message", e => e.Is("from", "alice") && e.Is("text", "two"));
        Assert.True(two.Bool("e2e"));

        await alice.SendAsync("/msg #general hello everyone");
        var open = await carol.WaitForAsync("message", e => e.Is("to", "#general"));
        Assert.Equal(("hello everyone", false), (open.Str("text"), open.Bool("e2e")));
        Assert.DoesNotContain(alice.Events.Concat(bob.Events).Concat(carol.Events), e => e.Is("event", "decrypt_failed"));
        Assert.DoesNotContain(carol.Events, e => e.Is("text", "two"));
    }

    /// <summary>The payload column of every offline message in the server's database (read-only, alongside the running server).</summary>
    private static List<byte[]> StoredOfflinePayloads(string serverData)
    {
        SQLitePCL.Batteries_V2.Init();
        var payloads = new List<byte[]>();
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(serverData, "rendezvous.db")};Mode=ReadOnly;Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT payload FROM offline_messages";
            using var reader = command.ExecuteReader();
            while (reader.Read()) payloads.Add((byte[])reader[0]);
        }
        return payloads;
    }

    private static byte[] ReadShared(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        file.CopyTo(copy);
        return copy.ToArray();
    }
}

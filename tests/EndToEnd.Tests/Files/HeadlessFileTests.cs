// File transfer between real p2pchat processes on loopback: files and folders verified, resume after kill -9 of either
// side, the wrong-id failsafe, hostile names, transfers both ways with chat, cancel from each side, offline offers.
using P2PChat.EndToEnd.Tests.Processes;
using Xunit;
using static P2PChat.EndToEnd.Tests.Files.FilePeers;

namespace P2PChat.EndToEnd.Tests.Files;

public sealed class HeadlessFileTests
{
    [Fact]
    public async Task A_file_and_a_folder_with_an_empty_subfolder_arrive_verified_and_a_rejected_offer_is_told()
    {
        await using var peers = await StartAsync();
        var (alice, bob) = (peers.Alice, peers.Bob);
        var file = peers.RandomFile("photo.bin", (3 << 20) + 12345);

        var id = await OfferAsync(alice, bob, file);
        await alice.WaitForAsync("file_offered", e => e.Is("id", id));
        await bob.SendAsync($"/accept {id}");
        var received = await peers.DoneAsync(bob, id);
        var sent = await peers.DoneAsync(alice, id);
        var sha = Sha256Of(file);
        Assert.Equal((sha, sha, sha), (Sha256Of(received.Str("path")), received.Str("sha256"), sent.Str("sha256")));
        Assert.Equal(Path.Combine(peers.Downloads(bob), "photo.bin"), received.Str("path"));

        var folder = peers.Data.Combine("src", "album");
        peers.RandomFile("album/a/one.bin", 1_500_000);
        peers.RandomFile("album/a/b/two.bin", 70_000);
        peers.RandomFile("album/zero.txt", 0);
        Directory.CreateDirectory(Path.Combine(folder, "empty", "deeper"));
        var into = peers.Data.Combine("chosen");
        var folderId = await OfferAsync(alice, bob, folder, skip: 1);
        var offer = await bob.WaitForAsync("file_offer", e => e.Is("id", folderId));
        Assert.Equal((3, 5), (offer.Int("files"), offer.Int("folders"))); // album, a, a/b, empty, empty/deeper
        await bob.SendAsync($"/accept {folderId[..8]} {into}");
        var folderDone = await peers.DoneAsync(bob, folderId);
        Assert.Equal(Path.Combine(into, "album"), folderDone.Str("path"));
        Assert.Equal(Tree(folder), Tree(folderDone.Str("path")));
        await peers.DoneAsync(alice, folderId);

        var rejectedId = await OfferAsync(alice, bob, file, skip: 2);
        await bob.SendAsync($"/reject {rejectedId}");
        Assert.Equal("send", (await alice.WaitForAsync("file_rejected", e => e.Is("id", rejectedId))).Str("direction"));
        Assert.DoesNotContain(alice.Events.Concat(bob.Events), e => e.Is("event", "error") || e.Is("event", "file_failed"));
    }

    [Fact]
    public async Task Killing_the_sender_mid_way_then_restarting_it_resumes_from_the_verified_chunks()
    {
        await using var peers = await StartAsync(aliceArgs: Slow);
        var file = peers.RandomFile("big.bin", 40L << 20);
        var id = await OfferAsync(peers.Alice, peers.Bob, file);
        await peers.Bob.SendAsync($"/accept {id}");
        var before = (await peers.PastAsync(peers.Bob, id, 4L << 20)).Long("bytes");

        await peers.KillAndRestartAsync(peers.Alice); // restarted without the cap
        await peers.Bob.WaitForAsync("file_interrupted", e => e.Is("id", id));
        // The resumed session starts by reporting what the receiver already holds: nothing verified is fetched again.
        var resumedAt = (await WaitFileAsync(peers.Bob, "file_progress", id, [peers.Alice], e => e.Long("rate") == 0 && e.Long("bytes") >= before)).Long("bytes");
        Assert.InRange(resumedAt, before, (40L << 20) - 1);
        var done = await peers.DoneAsync(peers.Bob, id);
        Assert.Equal(Sha256Of(file), Sha256Of(done.Str("path")));
        await peers.DoneAsync(peers.Alice, id);
    }

    [Fact]
    public async Task Killing_the_receiver_mid_way_then_restarting_it_resumes_from_its_saved_chunks()
    {
        await using var peers = await StartAsync(aliceArgs: Slow);
        var total = 24L << 20;
        var file = peers.RandomFile("big.bin", total);
        var id = await OfferAsync(peers.Alice, peers.Bob, file);
        await peers.Bob.SendAsync($"/accept {id}");
        // At 4 MiB/s, 8 MiB take over 1.75 s: the receiver has saved its verified chunks (at least once a second) by then.
        await peers.PastAsync(peers.Bob, id, 8L << 20);

        var bob = await peers.KillAndRestartAsync(peers.Bob);
        var resumedAt = (await WaitFileAsync(bob, "file_progress", id, [peers.Alice])).Long("bytes");
        Assert.InRange(resumedAt, 1, total - 1);
        var done = await peers.DoneAsync(bob, id);
        Assert.Equal(Sha256Of(file), Sha256Of(done.Str("path")));
        await peers.DoneAsync(peers.Alice, id);
    }

    [Fact]
    public async Task A_data_stream_with_an_id_the_receiver_never_accepted_is_refused_before_any_data()
    {
        await using var peers = await StartAsync(aliceArgs: Slow);
        var file = peers.RandomFile("big.bin", 32L << 20);
        var id = await OfferAsync(peers.Alice, peers.Bob, file);
        await peers.Bob.SendAsync($"/accept {id}");
        await peers.PastAsync(peers.Bob, id, 1);

        // Bob loses his saved transfers (a new install): Alice comes back with an id he never accepted.
        var downloads = peers.Downloads(peers.Bob);
        var bob = await peers.KillAndRestartAsync(peers.Bob, whileDown: () =>
        {
            Directory.Delete(Path.Combine(peers.Bob.ProfileFolder, "transfers"), recursive: true);
            Directory.Delete(downloads, recursive: true);
        });
        var refused = await bob.WaitForAsync("file_refused", e => e.Is("id", id));
        Assert.Contains("wrong transfer id", refused.Str("reason"));
        Assert.Equal("alice", refused.Str("from"));
        var failed = await peers.Alice.WaitForAsync("file_failed", e => e.Is("id", id));
        Assert.True(failed.Bool("resumable"));
        Assert.False(Directory.Exists(downloads) && Directory.EnumerateFileSystemEntries(downloads).Any());
    }

    [Fact]
    public async Task Hostile_names_are_refused_symlinks_are_not_followed_and_a_taken_name_gets_a_suffix()
    {
        await using var peers = await StartAsync();
        var (alice, bob) = (peers.Alice, peers.Bob);
        peers.RandomFile("bad/aux.txt", 10);
        await alice.SendAsync($"/send bob {peers.Data.Combine("src", "bad")}");
        var error = await alice.WaitForAsync("error", e => e.Is("command", "send"));
        Assert.Equal(163, error.Int("code"));
        Assert.Contains("device name", error.Str("text"));
        peers.RandomFile("ctl/a\u0001b.txt", 10);
        await alice.SendAsync($"/send bob {peers.Data.Combine("src", "ctl")}");
        Assert.Contains("control character", (await alice.WaitForAsync("error", e => e.Is("command", "send"), skip: 1)).Str("text"));

        var folder = peers.Data.Combine("src", "safe");
        peers.RandomFile("safe/note.txt", 100);
        var secret = peers.RandomFile("secret.txt", 100);
        File.CreateSymbolicLink(Path.Combine(folder, "link.txt"), secret);
        Directory.CreateDirectory(peers.Downloads(bob));
        File.WriteAllText(Path.Combine(peers.Downloads(bob), "safe"), "already here");
        var id = await OfferAsync(alice, bob, folder);
        Assert.Equal(1, (await bob.WaitForAsync("file_offer", e => e.Is("id", id))).Int("files"));
        await bob.SendAsync($"/accept {id}");
        var done = await peers.DoneAsync(bob, id);
        Assert.Equal(Path.Combine(peers.Downloads(bob), "safe (1)"), done.Str("path"));
        Assert.Equal("already here", File.ReadAllText(Path.Combine(peers.Downloads(bob), "safe")));
        Assert.Equal(["note.txt"], Tree(done.Str("path")).Keys);
        Assert.DoesNotContain(bob.Events, e => e.Is("event", "error"));
    }

    [Fact]
    public async Task Three_transfers_both_ways_at_once_while_chat_goes_on()
    {
        await using var peers = await StartAsync(aliceArgs: Slow, bobArgs: Slow);
        var (alice, bob) = (peers.Alice, peers.Bob);
        var one = peers.RandomFile("one.bin", 6L << 20);
        var two = peers.RandomFile("two.bin", 5L << 20);
        var three = peers.RandomFile("three.bin", 7L << 20);
        var idOne = await OfferAsync(alice, bob, one);
        var idTwo = await OfferAsync(alice, bob, two, skip: 1);
        var idThree = await OfferAsync(bob, alice, three);
        await bob.SendAsync($"/accept {idOne}");
        await bob.SendAsync($"/accept {idTwo}");
        await alice.SendAsync($"/accept {idThree}");
        await peers.PastAsync(bob, idOne, 1);
        await peers.PastAsync(bob, idTwo, 1);
        await peers.PastAsync(alice, idThree, 1);

        await alice.SendAsync("/msg bob while three files move");
        Assert.Equal("direct", (await bob.WaitForAsync("message", e => e.Is("text", "while three files move"))).Str("route"));
        await bob.SendAsync("/msg alice and back");
        await alice.WaitForAsync("message", e => e.Is("text", "and back"));

        Assert.Equal(Sha256Of(one), Sha256Of((await peers.DoneAsync(bob, idOne)).Str("path")));
        Assert.Equal(Sha256Of(two), Sha256Of((await peers.DoneAsync(bob, idTwo)).Str("path")));
        Assert.Equal(Sha256Of(three), Sha256Of((await peers.DoneAsync(alice, idThree)).Str("path")));
    }

    [Fact]
    public async Task Either_side_can_cancel_a_running_transfer_and_no_partial_file_is_left()
    {
        await using var peers = await StartAsync(aliceArgs: Slow);
        var (alice, bob) = (peers.Alice, peers.Bob);
        var file = peers.RandomFile("big.bin", 32L << 20);

        var byReceiver = await OfferAsync(alice, bob, file);
        await bob.SendAsync($"/accept {byReceiver}");
        await peers.PastAsync(bob, byReceiver, 1);
        await bob.SendAsync($"/cancel {byReceiver}");
        Assert.Equal("me", (await bob.WaitForAsync("file_cancelled", e => e.Is("id", byReceiver))).Str("by"));
        Assert.Equal("peer", (await alice.WaitForAsync("file_cancelled", e => e.Is("id", byReceiver))).Str("by"));

        var bySender = await OfferAsync(alice, bob, file, skip: 1);
        await bob.SendAsync($"/accept {bySender}");
        await peers.PastAsync(bob, bySender, 1);
        await alice.SendAsync($"/cancel {bySender}");
        Assert.Equal("peer", (await bob.WaitForAsync("file_cancelled", e => e.Is("id", bySender))).Str("by"));

        await bob.SendAsync("/transfers");
        var list = (await bob.WaitForAsync("transfers")).GetProperty("transfers").EnumerateArray().ToList();
        Assert.All(list, t => Assert.Equal("cancelled", t.Str("status")));
        // file_cancelled comes after the receiver deleted its partial files.
        Assert.Empty(Directory.EnumerateFiles(peers.Downloads(bob), "*", SearchOption.AllDirectories));
        Assert.DoesNotContain(alice.Events.Concat(bob.Events), e => e.Is("event", "file_done"));
    }

    [Fact]
    public async Task An_offer_to_an_offline_friend_is_queued_and_made_when_they_come_online()
    {
        await using var peers = await StartAsync();
        await peers.Bob.QuitAsync();
        var file = peers.RandomFile("later.bin", 2_000_000);
        await peers.Alice.SendAsync($"/send bob {file}");
        var id = (await peers.Alice.WaitForAsync("file_queued")).Str("id");

        var bob = await Cluster.SignedInAsync(peers.Cluster.Peer("bob", ["--download-folder", peers.Downloads(peers.Bob)]), "bob");
        Assert.Equal("alice", (await bob.WaitForAsync("file_offer", e => e.Is("id", id))).Str("from"));
        await peers.Alice.WaitForAsync("file_offered", e => e.Is("id", id));
        await bob.SendAsync($"/accept {id}");
        // A safety net past the sender's 30 s answer watchdog: the sign-in races the link layer's restart handling,
        // and a session begun on the old link is given up and started again on the new one.
        Assert.Equal(Sha256Of(file), Sha256Of((await peers.DoneAsync(bob, id, TimeSpan.FromMinutes(2))).Str("path")));
    }
}

// The file transfer service over real loopback links: offers and answers, integrity, wrong ids, hostile names, resume, queueing, cancel.
using System.Security.Cryptography;
using System.Threading.Channels;
using P2PChat.Core.Files;
using P2PChat.Core.Files.Sessions;
using P2PChat.Core.Payloads;
using P2PChat.Peer.Commands;
using P2PChat.Peer.Events;
using P2PChat.Peer.Files;
using P2PChat.Peer.Tests.Fakes;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Peer.Tests.Files;

public sealed class FileTransfersTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string MakeFile(string folder, string name, int length, int seed = 7)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        File.WriteAllBytes(path, data);
        return path;
    }

    private static string Sha(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    [Fact]
    public async Task An_accepted_file_arrives_verified_and_the_sender_is_told_of_the_answer_and_the_end()
    {
        await using var h = new FileTransferHarness();
        var alice = h.Add("alice");
        var bob = h.Add("bob");
        var path = MakeFile(Path.Combine(h.Folder, "out"), "photo.jpg", 3 * 1024 * 1024 + 11);

        var id = await alice.Files.SendAsync("bob", path, Ct);
        var offer = await bob.Events.WaitForAsync<FileOfferEvent>();
        Assert.Equal((id.ToString(), "alice", "photo.jpg", 3L * 1024 * 1024 + 11, 1, 0), (offer.Id, offer.From, offer.Name, offer.Size, offer.Files, offer.Folders));
        await alice.Events.WaitForAsync<FileOfferedEvent>();

        bob.Files.Accept(offer.Id[..8], null);
        await alice.Events.WaitForAsync<FileAcceptedEvent>(e => e.Direction == "send" && e.User == "bob");
        var received = await bob.Events.WaitForAsync<FileDoneEvent>();
        var sent = await alice.Events.WaitForAsync<FileDoneEvent>();

        Assert.Equal(Path.Combine(bob.Downloads, "photo.jpg"), received.Path);
        Assert.Equal(Sha(path), received.Sha256);
        Assert.Equal(Sha(path), sent.Sha256);
        Assert.Equal(Sha(path), Sha(received.Path));
        Assert.Contains(bob.Events.Events, e => e is FileProgressEvent { Direction: "receive" } p && p.Bytes == p.Total);
        Assert.Equal("done", Assert.Single(alice.Files.List().Transfers).Status);
    }

    [Fact]
    public async Task A_folder_with_empty_folders_arrives_whole_into_the_folder_the_receiver_chose()
    {
        await using var h = new FileTransferHarness();
        var alice = h.Add("alice");
        var bob = h.Add("bob");
        var root = Path.Combine(h.Folder, "out", "album");
        MakeFile(root, "a.bin", 2_500_000, 1);
        MakeFile(Path.Combine(root, "sub"), "b.bin", 10, 2);
        Directory.CreateDirectory(Path.Combine(root, "empty"));
        var chosen = Path.Combine(h.Folder, "chosen");

        await alice.Files.SendAsync("bob", root, Ct);
        var offer = await bob.Events.WaitForAsync<FileOfferEvent>();
        Assert.Equal((2, 3), (offer.Files, offer.Folders));
        bob.Files.Accept(offer.Id, chosen);
        var done = await bob.Events.WaitForAsync<FileDoneEvent>();

        Assert.Equal(Path.Combine(chosen, "album"), done.Path);
        Assert.Equal(Sha(Path.Combine(root, "a.bin")), Sha(Path.Combine(chosen, "album", "a.bin")));
        Assert.Equal(Sha(Path.Combine(root, "sub", "b.bin")), Sha(Path.Combine(chosen, "album", "sub", "b.bin")));
        Assert.True(Directory.Exists(Path.Combine(chosen, "album", "empty")));
        await alice.Events.WaitForAsync<FileDoneEvent>();
    }

    [Fact]
    public async Task A_rejected_offer_tells_the_sender()
    {
        await using var h = new FileTransferHarness();
        var alice = h.Add("alice");
        var bob = h.Add("bob");
        await alice.Files.SendAsync("bob", MakeFile(Path.Combine(h.Folder, "out"), "x.txt", 100), Ct);
        var offer = await bob.Events.WaitForAsync<FileOfferEvent>();

        bob.Files.Reject(offer.Id);

        var rejected = await alice.Events.WaitForAsync<FileRejectedEvent>();
        Assert.Equal(("send", "bob"), (rejected.Direction, rejected.User));
        Assert.Equal("rejected", alice.Files.List().Transfers[0].Status);
    }

    [Fact]
    public async Task A_data_stream_with_a_transfer_id_the_receiver_never_accepted_is_refused_before_any_data_flows()
    {
        await using var h = new FileTransferHarness();
        var alice = h.Add("alice");
        var bob = h.Add("bob");
        await alice.Files.SendAsync("bob", MakeFile(Path.Combine(h.Folder, "out"), "x.txt", 100), Ct);
        var offer = await bob.Events.WaitForAsync<FileOfferEvent>();
        Assert.True(TransferId.TryParse(offer.Id, out var offered));

        var link = await alice.Links.ConnectAsync(bob.Links.Tag, Ct);
        foreach (var id in new[] { TransferId.NewRandom(), offered })  // an unknown id, and one offered but not accepted
        {
            using var stream = new TransferStream(link.OpenStream(PayloadKind.FileData));
            await stream.WriteAsync(new HelloMessage(id), Ct);
            Assert.IsType<RefusedMessage>(await stream.ReadAsync(Ct));
            Assert.Null(await stream.ReadAsync(Ct));
            await bob.Events.WaitForAsync<FileRefusedEvent>(e => e.Id == id.ToString() && e.From == "alice");
        }
        Assert.False(Directory.Exists(bob.Downloads));
    }

    [Fact]
    public async Task An_offer_with_a_hostile_name_is_refused_and_reported_and_the_sender_told()
    {
        await using var h = new FileTransferHarness();
        var alice = h.Add("alice");
        var bob = h.Add("bob");
        var hostile = new FileManifest(TransferId.NewRandom(), FileManifest.MinChunkSize,
            [ManifestEntry.Folder("top"), new ManifestEntry("top/../../.bashrc", EntryKind.File, 0, SHA256.HashData([]), [])]);

        var link = await alice.Links.ConnectAsync(bob.Links.Tag, Ct);
        var reply = await ControlExchange.SendAsync(link, new OfferMessage(hostile), Ct);

        var reject = Assert.IsType<RejectMessage>(reply);
        Assert.Equal(hostile.Id, reject.Id);
        Assert.Contains("hostile name", reject.Reason);
        var refused = await bob.Events.WaitForAsync<FileRefusedEvent>();
        Assert.Equal("alice", refused.From);
        Assert.DoesNotContain(bob.Events.Events, e => e is FileOfferEvent);
    }

    [Fact]
    public async Task An_offer_from_an_older_sender_with_a_version_2_manifest_is_rejected_with_a_reason_that_says_so()
    {
        await using var h = new FileTransferHarness();
        var alice = h.Add("alice");
        var bob = h.Add("bob");
        var offer = new FileManifest(TransferId.NewRandom(), FileManifest.MinChunkSize,
            [new ManifestEntry("old.txt", EntryKind.File, 0, SHA256.HashData([]), [])]);
        var frame = TransferFrameCodec.Encode(new OfferMessage(offer));
        frame[5] = 2; // type u8 | length u32 BE | manifest version u8: what a session-11 p2pchat sends

        var link = await alice.Links.ConnectAsync(bob.Links.Tag, Ct);
        using var stream = new TransferStream(link.OpenStream(PayloadKind.FileControl));
        await stream.Stream.WriteAsync(frame, Ct);
        stream.Stream.CompleteWrites();

        var reject = Assert.IsType<RejectMessage>(await stream.ReadAsync(Ct));
        Assert.Equal(offer.Id, reject.Id);
        Assert.Contains("manifest version 2", reject.Reason);
        Assert.Contains("sender must update", reject.Reason);
        Assert.Equal("alice", (await bob.Events.WaitForAsync<FileRefusedEvent>()).From);
        Assert.DoesNotContain(bob.Events.Events, e => e is FileOfferEvent);
    }

    [Fact]
    public async Task An_offer_a_peer_takes_without_answering_is_made_again_on_the_same_link_after_a_doubling_wait()
    {
        // What a p2pchat from before manifest version 3 does with a version 3 offer: it ends the control stream
        // without an answer. The sender must not repeat it every RetryDelay (100 ms here) for as long as the link lives.
        var clock = new ManualTimeProvider();
        await using var h = new FileTransferHarness();
        var alice = h.Add("alice", time: clock);
        var bob = h.Add("bob");
        await bob.StopAsync();
        var attempts = Channel.CreateUnbounded<TimeSpan>();
        using var old = bob.Links.OnStream(PayloadKind.FileControl, async (_, raw, ct) =>
        {
            using var stream = new TransferStream(raw);
            Assert.IsType<OfferMessage>(await stream.ReadAsync(ct));
            attempts.Writer.TryWrite(clock.Elapsed);
            raw.CompleteWrites();
        });

        await alice.Files.SendAsync("bob", MakeFile(Path.Combine(h.Folder, "out"), "a.txt", 10), Ct);
        var times = new List<TimeSpan> { await attempts.Reader.ReadAsync(Ct) };
        for (var i = 0; i < 3; i++)
        {
            // The pump arms its wait on the manual clock once the attempt failed; jump to it, then see the next attempt.
            while (!clock.RunNextTimer()) await Task.Yield();
            times.Add(await attempts.Reader.ReadAsync(Ct));
        }

        var gaps = times.Zip(times.Skip(1), (a, b) => (b - a).TotalMilliseconds).ToArray();
        // The first retry waits 100 ms, or none when the send's own kick of the pump was still pending; then 200, 400.
        Assert.Contains(gaps[0], new[] { 0.0, 100.0 });
        Assert.Equal([200, 400], gaps[1..]);
    }

    /// <summary>16 MiB/s: a 40 MiB transfer takes at least 2.25 s, so the interruption after the first progress event
    /// always lands mid-way (unpaced, it sometimes finished before the receiver was stopped).</summary>
    private const long MidWayRate = 16L << 20;

    /// <summary>alice (paced) offers bob a 40 MiB file, bob accepts, and the first bytes have arrived.</summary>
    private async Task<(FileTransferHarness.Side Alice, FileTransferHarness.Side Bob, string Path)> MidWayAsync(FileTransferHarness h)
    {
        var alice = h.Add("alice", MidWayRate);
        var bob = h.Add("bob");
        var path = MakeFile(Path.Combine(h.Folder, "out"), "big.bin", 40 * 1024 * 1024);
        await alice.Files.SendAsync("bob", path, Ct);
        bob.Files.Accept((await bob.Events.WaitForAsync<FileOfferEvent>()).Id, null);
        await bob.Events.WaitForAsync<FileProgressEvent>(p => p.Bytes > 0);
        return (alice, bob, path);
    }

    [Fact]
    public async Task A_transfer_cut_mid_way_resumes_by_itself_and_arrives_intact()
    {
        await using var h = new FileTransferHarness();
        var (alice, bob, path) = await MidWayAsync(h);
        alice.Links.Cut(bob.Links.Tag);

        await alice.Events.WaitForAsync<FileInterruptedEvent>();
        var done = await bob.Events.WaitForAsync<FileDoneEvent>();
        Assert.Equal(Sha(path), Sha(done.Path));
        await alice.Events.WaitForAsync<FileDoneEvent>();
    }

    [Fact]
    public async Task A_sender_killed_mid_transfer_resumes_after_its_restart()
    {
        await using var h = new FileTransferHarness();
        var (alice, bob, path) = await MidWayAsync(h);

        await alice.StopAsync();
        alice.Links.Cut(bob.Links.Tag);
        alice.Restart();

        var done = await bob.Events.WaitForAsync<FileDoneEvent>();
        Assert.Equal(Sha(path), Sha(done.Path));
        await alice.Events.WaitForAsync<FileDoneEvent>();
    }

    [Fact]
    public async Task A_receiver_killed_mid_transfer_resumes_after_its_restart_from_its_saved_bitmap()
    {
        await using var h = new FileTransferHarness();
        var (alice, bob, path) = await MidWayAsync(h);

        await bob.StopAsync();
        bob.Links.Cut(alice.Links.Tag);
        bob.Restart();

        FileDoneEvent done;
        try { done = await bob.Events.WaitForAsync<FileDoneEvent>(); }
        catch (TimeoutException e) { throw new TimeoutException($"{e.Message}; the sender saw: {string.Join(", ", alice.Events.Events.TakeLast(20))}", e); }
        Assert.Equal(Sha(path), Sha(done.Path));
        await alice.Events.WaitForAsync<FileDoneEvent>();
    }

    [Fact]
    public async Task An_offer_to_an_offline_contact_is_queued_and_made_when_they_come_online()
    {
        await using var h = new FileTransferHarness();
        var alice = h.Add("alice");
        var bob = h.Add("bob");
        bob.Links.GoOffline();

        await alice.Files.SendAsync("bob", MakeFile(Path.Combine(h.Folder, "out"), "later.txt", 1000), Ct);
        var queued = await alice.Events.WaitForAsync<FileQueuedEvent>();
        Assert.Equal(("bob", "later.txt"), (queued.To, queued.Name));
        Assert.Equal("queued", alice.Files.List().Transfers[0].Status);

        bob.Links.GoOnline();
        alice.Files.ContactOnline(bob.Links.Tag);
        var offer = await bob.Events.WaitForAsync<FileOfferEvent>();
        Assert.Equal(queued.Id, offer.Id);
        bob.Files.Accept(offer.Id, null);
        await bob.Events.WaitForAsync<FileDoneEvent>();
    }

    [Fact]
    public async Task Either_side_can_cancel_and_the_other_is_told()
    {
        await using var h = new FileTransferHarness();
        var alice = h.Add("alice");
        var bob = h.Add("bob");
        var out1 = MakeFile(Path.Combine(h.Folder, "out"), "one.bin", 1000, 1);
        var out2 = MakeFile(Path.Combine(h.Folder, "out"), "two.bin", 1000, 2);

        var first = await alice.Files.SendAsync("bob", out1, Ct);
        await bob.Events.WaitForAsync<FileOfferEvent>(o => o.Id == first.ToString());
        alice.Files.Cancel(first.ToString());
        var byPeer = await bob.Events.WaitForAsync<FileCancelledEvent>(c => c.Id == first.ToString());
        Assert.Equal(("receive", "peer"), (byPeer.Direction, byPeer.By));

        var second = await alice.Files.SendAsync("bob", out2, Ct);
        await bob.Events.WaitForAsync<FileOfferEvent>(o => o.Id == second.ToString());
        bob.Files.Cancel(second.ToString());
        var bySender = await alice.Events.WaitForAsync<FileCancelledEvent>(c => c.Id == second.ToString());
        Assert.Equal(("send", "peer"), (bySender.Direction, bySender.By));
    }

    [Fact]
    public async Task Two_transfers_in_opposite_directions_run_at_once()
    {
        await using var h = new FileTransferHarness();
        var alice = h.Add("alice");
        var bob = h.Add("bob");
        var a = MakeFile(Path.Combine(h.Folder, "a-out"), "from-alice.bin", 6 * 1024 * 1024, 1);
        var b = MakeFile(Path.Combine(h.Folder, "b-out"), "from-bob.bin", 6 * 1024 * 1024, 2);

        await alice.Files.SendAsync("bob", a, Ct);
        await bob.Files.SendAsync("alice", b, Ct);
        bob.Files.Accept((await bob.Events.WaitForAsync<FileOfferEvent>()).Id, null);
        alice.Files.Accept((await alice.Events.WaitForAsync<FileOfferEvent>()).Id, null);

        Assert.Equal(Sha(a), Sha((await bob.Events.WaitForAsync<FileDoneEvent>(d => d.Direction == "receive")).Path));
        Assert.Equal(Sha(b), Sha((await alice.Events.WaitForAsync<FileDoneEvent>(d => d.Direction == "receive")).Path));
    }

    [Fact]
    public async Task Bad_file_commands_become_error_events_with_their_codes()
    {
        await using var h = new FileTransferHarness();
        var alice = h.Add("alice");
        var sink = new FileEventLog();
        var dispatcher = new CommandDispatcher(new RecordingChatSession(), sink, new CommandRegistry(FileCommands.For(alice.Files)));

        await dispatcher.RunAsync("/accept 0123abcd", Ct);
        await dispatcher.RunAsync("/send nobody /etc/hostname", Ct);
        await dispatcher.RunAsync("/send alice " + Path.Combine(h.Folder, "missing.bin"), Ct);
        await dispatcher.RunAsync("/send alice", Ct);
        await dispatcher.RunAsync("/transfers", Ct);

        var errors = sink.Events.OfType<ErrorEvent>().Select(e => e.Code).ToArray();
        Assert.Equal([(int)FileErrorCode.UnknownTransfer, (int)FileErrorCode.UnknownUser, (int)FileErrorCode.CannotRead, (int)FileErrorCode.CannotRead], errors);
        Assert.Empty(Assert.Single(sink.Events.OfType<TransfersEvent>()).Transfers);
    }
}

public sealed class ContactOnlineTapTests
{
    [Fact]
    public void Online_presence_and_our_sign_in_are_reported_and_every_event_is_passed_on()
    {
        var inner = new FileEventLog();
        var seen = new List<string?>();
        var tap = new ContactOnlineTap(inner, seen.Add);

        tap.Publish(new PresenceEvent("bob", Core.Protocol.Presence.Online, ""));
        tap.Publish(new PresenceEvent("carol", Core.Protocol.Presence.Offline, ""));
        tap.Publish(new SignedInEvent("alice", 1, "Alice", false));

        Assert.Equal(["bob", null], seen);
        Assert.Equal(3, inner.Events.Count);
    }
}

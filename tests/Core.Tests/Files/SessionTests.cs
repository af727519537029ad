// The send and receive sessions end to end over in-memory streams and real files: integrity, refetch, resume, rename, stall.
using System.Security.Cryptography;
using P2PChat.Core.Files;
using P2PChat.Core.Files.Disk;
using P2PChat.Core.Files.Sessions;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Core.Tests.Files;

public sealed class SessionTests : IDisposable
{
    private readonly TempDirectory _temp = new("p2pchat-files");
    private readonly string _source;
    private readonly string _target;

    public SessionTests()
    {
        _source = _temp.Combine("src");
        _target = _temp.Combine("dst");
        Directory.CreateDirectory(_source);
        Directory.CreateDirectory(_target);
    }

    private readonly List<IDisposable> _owned = [];

    private T Own<T>(T disposable) where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    public void Dispose()
    {
        foreach (var owned in _owned) owned.Dispose();
        _temp.Dispose();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string MakeFile(string relative, int length, int seed = 1)
    {
        var path = Path.Combine(_source, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        File.WriteAllBytes(path, data);
        return path;
    }

    private IncomingFiles Incoming(FileManifest manifest) =>
        new(manifest, _target, IncomingFiles.ChooseTopName(_target, manifest.Name), Path.Combine(_temp.Path, manifest.Id + ".bitmap"));

    /// <summary>Runs a receive session against <paramref name="sender"/> (which gets the other end of the pipe).</summary>
    private static async Task<SessionResult> ReceiveAsync(FileManifest manifest, IncomingFiles files, Func<TransferStream, Task> sender, TimeProvider? time = null, ReceiveOptions? options = null)
    {
        var pipe = new PipeStreamPair();
        using var senderStream = new TransferStream(pipe.A);
        using var receiverStream = new TransferStream(pipe.B);
        var sending = Task.Run(() => sender(senderStream), Ct);
        Assert.IsType<HelloMessage>(await receiverStream.ReadAsync(Ct));
        var result = await new ReceiveSession(manifest, files, time ?? TimeProvider.System, options ?? ReceiveOptions.Default).RunAsync(receiverStream, Ct);
        // A receiver that stopped early (disk full, refused chunk) leaves the sender with chunks nobody reads: closing
        // our end fails its writes instead of leaving it blocked on the pipe's back-pressure (this test hung that way).
        pipe.CloseB();
        try { await sending; }
        catch (P2PChat.Core.Transport.TransportException e) when (e.Error == P2PChat.Core.Transport.TransportError.AbortedByPeer) { }
        return result;
    }

    /// <summary>A sender that serves requests like SendSession, but lets a test tamper with chunks or stop early.</summary>
    private static Func<TransferStream, Task> Scripted(FileManifest manifest, string root, Func<int, int, int, byte[], byte[]>? tamper = null, int stopAfter = int.MaxValue, List<RequestMessage>? requests = null, bool reversed = false) => async stream =>
    {
        using var source = new ChunkSource(manifest, root);
        await stream.WriteAsync(new HelloMessage(manifest.Id), Ct);
        if (await stream.ReadAsync(Ct) is not ReadyMessage) return;
        var served = 0;
        var attempts = new Dictionary<(int, int), int>();
        var buffer = new byte[manifest.ChunkSize];
        while (await stream.ReadAsync(Ct) is RequestMessage request)
        {
            requests?.Add(request);
            var order = Enumerable.Range(request.First, request.Count);
            foreach (var c in reversed ? order.Reverse() : order)
            {
                if (served++ == stopAfter) { stream.Stream.CompleteWrites(); return; }
                var n = await source.ReadAsync(request.Entry, c, buffer, Ct);
                var attempt = attempts[(request.Entry, c)] = attempts.GetValueOrDefault((request.Entry, c)) + 1;
                var data = tamper?.Invoke(request.Entry, c, attempt, buffer[..n]) ?? buffer[..n];
                await stream.WriteAsync(new ChunkMessage(request.Entry, c, data), Ct);
            }
        }
        stream.Stream.CompleteWrites();
    };

    [Fact]
    public async Task A_folder_with_empty_folders_and_files_arrives_identical_and_no_partial_file_is_left()
    {
        MakeFile("top/big.bin", 3 * 1024 * 1024 + 77);
        MakeFile("top/sub/small.txt", 10, seed: 2);
        MakeFile("top/sub/zero", 0);
        Directory.CreateDirectory(Path.Combine(_source, "top", "empty", "deeper"));
        var built = await ManifestBuilder.BuildAsync(Path.Combine(_source, "top"), TransferId.NewRandom(), Ct);
        Assert.Equal(7, built.Manifest.Entries.Count);
        using var files = Incoming(built.Manifest);
        var finished = new List<string>();

        var pipe = new PipeStreamPair();
        using var a = new TransferStream(pipe.A);
        using var b = new TransferStream(pipe.B);
        var sending = new SendSession(built.Manifest, new ChunkSource(built.Manifest, built.Root)).RunAsync(a, Ct);
        Assert.IsType<HelloMessage>(await b.ReadAsync(Ct));
        var received = await new ReceiveSession(built.Manifest, files, TimeProvider.System, ReceiveOptions.Default) { FileFinished = (_, p) => finished.Add(p) }.RunAsync(b, Ct);

        Assert.Equal(SessionOutcome.Completed, received.Outcome);
        Assert.Equal(SessionOutcome.Completed, (await sending).Outcome);
        foreach (var file in new[] { "big.bin", "sub/small.txt", "sub/zero" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(_source, "top", file)), File.ReadAllBytes(Path.Combine(_target, "top", file)));
        Assert.True(Directory.Exists(Path.Combine(_target, "top", "empty", "deeper")));
        Assert.Empty(Directory.EnumerateFiles(_target, "*" + IncomingFiles.PartialSuffix, SearchOption.AllDirectories));
        Assert.Equal(3, finished.Count);
    }

    [Fact]
    public async Task A_corrupted_chunk_and_a_chunk_sent_in_another_ones_place_are_refused_and_fetched_again()
    {
        MakeFile("f.bin", 4 * 1024 * 1024);
        var built = await ManifestBuilder.BuildAsync(Path.Combine(_source, "f.bin"), TransferId.NewRandom(), Ct);
        byte[]? chunk0 = null;
        using var files = Incoming(built.Manifest);
        var session = new ReceiveSession(built.Manifest, files, TimeProvider.System, ReceiveOptions.Default);
        var pipe = new PipeStreamPair();
        using var a = new TransferStream(pipe.A);
        using var b = new TransferStream(pipe.B);
        var sending = Task.Run(() => Scripted(built.Manifest, built.Root, (_, c, attempt, data) =>
        {
            if (c == 0) chunk0 = data;
            if (c == 1 && attempt == 1) { var bad = (byte[])data.Clone(); bad[12345] ^= 1; return bad; }
            if (c == 2 && attempt == 1) return chunk0!;
            return data;
        })(a), Ct);
        Assert.IsType<HelloMessage>(await b.ReadAsync(Ct));
        var result = await session.RunAsync(b, Ct);
        await sending;

        Assert.Equal(SessionOutcome.Completed, result.Outcome);
        Assert.Equal(2, session.Refused);
        Assert.Equal(File.ReadAllBytes(Path.Combine(_source, "f.bin")), File.ReadAllBytes(Path.Combine(_target, "f.bin")));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1024 * 1024)]
    [InlineData(3 * 1024 * 1024)]
    [InlineData(3 * 1024 * 1024 + 1)]
    public async Task Chunks_arriving_last_first_verify_and_the_file_gets_its_sha256_and_name(int size)
    {
        MakeFile("f.bin", size);
        var built = await ManifestBuilder.BuildAsync(Path.Combine(_source, "f.bin"), TransferId.NewRandom(), Ct);
        using var files = Incoming(built.Manifest);
        var result = await ReceiveAsync(built.Manifest, files, Scripted(built.Manifest, built.Root, (_, c, attempt, data) =>
        {
            if (c == built.Manifest.Entries[0].ChunkCount - 1 && attempt == 1) { var bad = (byte[])data.Clone(); bad[^1] ^= 0x80; return bad; }
            return data;
        }, reversed: true));
        Assert.Equal(SessionOutcome.Completed, result.Outcome);
        var received = File.ReadAllBytes(Path.Combine(_target, "f.bin"));
        Assert.Equal(File.ReadAllBytes(Path.Combine(_source, "f.bin")), received);
        Assert.Equal(built.Manifest.Entries[0].Sha256, SHA256.HashData(received));
    }

    [Fact]
    public async Task A_chunk_that_never_verifies_fails_the_transfer_and_the_file_never_gets_its_name()
    {
        MakeFile("f.bin", 2 * 1024 * 1024);
        var built = await ManifestBuilder.BuildAsync(Path.Combine(_source, "f.bin"), TransferId.NewRandom(), Ct);
        using var files = Incoming(built.Manifest);
        var result = await ReceiveAsync(built.Manifest, files, Scripted(built.Manifest, built.Root, (_, c, _, data) => c == 1 ? new byte[data.Length] : data));
        Assert.Equal(SessionOutcome.Failed, result.Outcome);
        Assert.Contains("failed verification", result.Reason);
        Assert.False(File.Exists(Path.Combine(_target, "f.bin")));
    }

    [Fact]
    public async Task An_interrupted_transfer_resumes_from_the_saved_bitmap_without_fetching_verified_chunks_and_is_renamed_only_when_whole()
    {
        MakeFile("f.bin", 6 * 1024 * 1024 + 5);
        var built = await ManifestBuilder.BuildAsync(Path.Combine(_source, "f.bin"), TransferId.NewRandom(), Ct);
        var topName = IncomingFiles.ChooseTopName(_target, "f.bin");
        var bitmap = Path.Combine(_temp.Path, "resume.bitmap");

        using (var first = new IncomingFiles(built.Manifest, _target, topName, bitmap))
        {
            var result = await ReceiveAsync(built.Manifest, first, Scripted(built.Manifest, built.Root, stopAfter: 3));
            Assert.Equal(SessionOutcome.Interrupted, result.Outcome);
            Assert.False(File.Exists(Path.Combine(_target, "f.bin")));
            Assert.True(File.Exists(first.PartialPath(0)));
        }
        Assert.Equal(3, ChunkBitmapCodec.Decode(File.ReadAllBytes(bitmap)).SetCount);

        var requests = new List<RequestMessage>();
        using (var second = new IncomingFiles(built.Manifest, _target, topName, bitmap))
        {
            Assert.Equal(3, second.Verified.SetCount);
            var result = await ReceiveAsync(built.Manifest, second, Scripted(built.Manifest, built.Root, requests: requests));
            Assert.Equal(SessionOutcome.Completed, result.Outcome);
            Assert.False(File.Exists(second.PartialPath(0)));
        }
        Assert.Equal([new RequestMessage(0, 3, 4)], requests);
        Assert.Equal(File.ReadAllBytes(Path.Combine(_source, "f.bin")), File.ReadAllBytes(Path.Combine(_target, "f.bin")));
    }

    [Fact]
    public async Task A_whole_file_hash_that_does_not_match_fails_the_last_chunk_and_keeps_the_final_name_free()
    {
        MakeFile("f.bin", 100_000);
        var built = await ManifestBuilder.BuildAsync(Path.Combine(_source, "f.bin"), TransferId.NewRandom(), Ct);
        var e = built.Manifest.Entries[0];
        var forged = new FileManifest(built.Manifest.Id, built.Manifest.ChunkSize, [e with { Sha256 = SHA256.HashData("other"u8) }]);
        using var files = Incoming(forged);
        Assert.Equal((1, 0, false), (files.Verified.Count, files.Verified.SetCount, files.Verified.IsComplete));
        var result = await ReceiveAsync(forged, files, Scripted(forged, built.Root));
        Assert.Equal(SessionOutcome.Failed, result.Outcome);
        Assert.Contains("failed verification", result.Reason); // the last chunk ends in the announced SHA-256, or it is refused
        Assert.Equal(0, files.Verified.SetCount);
        Assert.False(File.Exists(Path.Combine(_target, "f.bin")));
    }

    [Fact]
    public void An_offered_name_that_is_taken_gets_a_suffix_and_never_replaces_the_existing_file()
    {
        File.WriteAllText(Path.Combine(_target, "a.txt"), "mine");
        File.WriteAllText(Path.Combine(_target, "a (1).txt"), "mine too");
        Assert.Equal("a (2).txt", IncomingFiles.ChooseTopName(_target, "a.txt"));
        Directory.CreateDirectory(Path.Combine(_target, "folder"));
        Assert.Equal("folder (1)", IncomingFiles.ChooseTopName(_target, "folder"));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(_target, "a.txt")));
    }

    /// <summary>A 100,000-byte file (one chunk) offered and a receive session with a 10 s stall timeout on
    /// <paramref name="time"/>, past Hello, Ready and the Request: the test plays the sender on <c>Sender</c>.</summary>
    private async Task<(PipeStreamPair Pipe, TransferStream Sender, TransferStream Receiver, Task<SessionResult> Receiving)> StartOnClockAsync(ManualTimeProvider time)
    {
        MakeFile("f.bin", 100_000);
        var built = await ManifestBuilder.BuildAsync(Path.Combine(_source, "f.bin"), TransferId.NewRandom(), Ct);
        var files = Own(Incoming(built.Manifest));
        var pipe = new PipeStreamPair();
        var a = Own(new TransferStream(pipe.A));
        var b = Own(new TransferStream(pipe.B));
        await a.WriteAsync(new HelloMessage(built.Manifest.Id), Ct);
        Assert.IsType<HelloMessage>(await b.ReadAsync(Ct));
        var receiving = new ReceiveSession(built.Manifest, files, time, new ReceiveOptions(TimeSpan.FromSeconds(10))).RunAsync(b, Ct);
        Assert.IsType<ReadyMessage>(await a.ReadAsync(Ct));
        Assert.IsType<RequestMessage>(await a.ReadAsync(Ct));
        return (pipe, a, b, receiving);
    }

    [Fact]
    public async Task A_sender_that_goes_silent_is_noticed_as_a_stall_on_the_injected_clock()
    {
        var time = new ManualTimeProvider();
        var (_, _, _, receiving) = await StartOnClockAsync(time);

        time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(receiving.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(2));
        var result = await receiving;
        Assert.Equal(SessionOutcome.Interrupted, result.Outcome);
        Assert.StartsWith("stalled", result.Reason);
    }

    [Fact]
    public async Task A_chunk_that_trickles_in_for_longer_than_the_stall_timeout_is_progress_not_a_stall()
    {
        var time = new ManualTimeProvider();
        var (pipe, _, b, receiving) = await StartOnClockAsync(time);

        // One chunk in four pieces, 6 s apart on the injected clock: 24 s for the chunk, over twice the 10 s timeout.
        var frame = TransferFrameCodec.Encode(new ChunkMessage(0, 0, File.ReadAllBytes(Path.Combine(_source, "f.bin"))));
        var piece = frame.Length / 4 + 1;
        var before = b.BytesRead;
        for (var offset = 0; offset < frame.Length; offset += piece)
        {
            var end = Math.Min(frame.Length, offset + piece);
            await pipe.A.WriteAsync(frame[offset..end], Ct);
            if (end == frame.Length) break;
            // The receiver has taken the piece (a wait for a condition, with a safety net, not for time).
            Assert.True(SpinWait.SpinUntil(() => b.BytesRead >= before + end, TimeSpan.FromSeconds(30)), "the receiver never read the piece");
            time.Advance(TimeSpan.FromSeconds(6));
            Assert.False(receiving.IsCompleted);
        }
        Assert.Equal(SessionOutcome.Completed, (await receiving).Outcome);
        Assert.Equal(File.ReadAllBytes(Path.Combine(_source, "f.bin")), File.ReadAllBytes(Path.Combine(_target, "f.bin")));
    }

    [Fact]
    public async Task A_full_disk_stops_the_transfer_cleanly_keeps_the_partial_file_and_the_verified_chunks_and_says_why()
    {
        Require.Root("a small tmpfs to fill up");
        Require.That(Require.HasProgram("mount") && Require.HasProgram("umount"), "needs mount and umount");
        var small = _temp.Combine("small-disk");
        Directory.CreateDirectory(small);
        Run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", small);
        try
        {
            MakeFile("f.bin", 6 * 1024 * 1024);
            var built = await ManifestBuilder.BuildAsync(Path.Combine(_source, "f.bin"), TransferId.NewRandom(), Ct);
            var bitmap = Path.Combine(_temp.Path, "full.bitmap");
            using (var files = new IncomingFiles(built.Manifest, small, "f.bin", bitmap))
            {
                var result = await ReceiveAsync(built.Manifest, files, Scripted(built.Manifest, built.Root));
                Assert.Equal(SessionOutcome.DiskFull, result.Outcome);
                Assert.Contains("disk is full", result.Reason);
                Assert.True(File.Exists(files.PartialPath(0)));
            }
            var saved = ChunkBitmapCodec.Decode(File.ReadAllBytes(bitmap));
            Assert.InRange(saved.SetCount, 1, saved.Count - 1);
            // Every chunk the saved bitmap names is on disk (writes may run in the background: the one that hit the
            // full disk must not be named), so a resume that trusts the bitmap gets the file right.
            var source = File.ReadAllBytes(Path.Combine(_source, "f.bin"));
            var partial = File.ReadAllBytes(Directory.GetFiles(small, "*" + IncomingFiles.PartialSuffix).Single());
            var size = built.Manifest.ChunkSize;
            for (var c = 0; c < saved.Count; c++)
                if (saved[c]) Assert.True(source.AsSpan(c * size, size).SequenceEqual(partial.AsSpan(c * size, size)), $"chunk {c} is named but not on disk");
            Assert.False(File.Exists(Path.Combine(small, "f.bin")));
        }
        finally
        {
            Run("umount", small);
        }
    }

    private static void Run(string program, params string[] args)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(program, args) { RedirectStandardError = true })!;
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)}: {process.StandardError.ReadToEnd()}");
    }
}

// A sparse file beyond 4 GiB goes through the sessions and arrives verified, with its bytes past 4 GiB in place.
using P2PChat.Core.Files;
using P2PChat.Core.Files.Disk;
using P2PChat.Core.Files.Sessions;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Core.Tests.Files;

public sealed class SparseFileTests
{
    private const long Size = 5L * 1024 * 1024 * 1024 + 3;

    [Fact]
    public async Task A_sparse_five_GiB_file_is_transferred_and_verified_with_its_bytes_beyond_four_GiB_intact()
    {
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempDirectory("p2pchat-sparse");
        var source = temp.Combine("big.img");
        long[] marks = [0, (4L << 30) - 1, 4L << 30, (4L << 30) + 123_457, Size - 1];
        using (var handle = File.OpenHandle(source, FileMode.CreateNew, FileAccess.Write))
        {
            RandomAccess.SetLength(handle, Size);
            foreach (var (mark, i) in marks.Select((m, i) => (m, i))) RandomAccess.Write(handle, new[] { (byte)(0xA0 + i) }, mark);
        }
        var built = await ManifestBuilder.BuildAsync(source, TransferId.NewRandom(), ct);
        Assert.Equal(Size, built.Manifest.TotalSize);
        var target = temp.Combine("in");
        Directory.CreateDirectory(target);
        using var files = new IncomingFiles(built.Manifest, target, "big.img", temp.Combine("big.bitmap"));

        var pipe = new PipeStreamPair();
        using var a = new TransferStream(pipe.A);
        using var b = new TransferStream(pipe.B);
        var sending = Task.Run(() => new SendSession(built.Manifest, new ChunkSource(built.Manifest, built.Root)).RunAsync(a, ct), ct);
        Assert.IsType<HelloMessage>(await b.ReadAsync(ct));
        var result = await new ReceiveSession(built.Manifest, files, TimeProvider.System, ReceiveOptions.Default).RunAsync(b, ct);

        Assert.Equal(SessionOutcome.Completed, result.Outcome);
        Assert.Equal(SessionOutcome.Completed, (await sending).Outcome);
        var received = Path.Combine(target, "big.img");
        Assert.Equal(Size, new FileInfo(received).Length);
        using var check = File.OpenHandle(received);
        var one = new byte[1];
        foreach (var (mark, i) in marks.Select((m, i) => (m, i)))
        {
            RandomAccess.Read(check, one, mark);
            Assert.Equal((byte)(0xA0 + i), one[0]);
        }
    }
}

// Beyond 4 GiB between real processes: a sparse 5 GiB file is offered, moved, verified and lands with its far bytes in place.
using P2PChat.EndToEnd.Tests.Processes;
using Xunit;
using static P2PChat.EndToEnd.Tests.Files.FilePeers;

namespace P2PChat.EndToEnd.Tests.Files;

/// <summary>
/// The one long file test: the sender hashes 5 GiB (mostly holes, read as zeros) and the link carries all of it,
/// so it takes minutes on a loaded 2-core machine (about 1.5 min quiet). Offsets past 2^32 catch any 32-bit size,
/// offset or chunk-index arithmetic; the received file stays sparse (zero chunks are verified, not written).
/// </summary>
public sealed class HeadlessSparseFileTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(12);

    [Fact]
    public async Task A_sparse_file_beyond_4_GiB_arrives_verified_with_its_bytes_past_4_GiB_in_place()
    {
        const long size = (5L << 30) + 3;
        long[] marks = [0, (4L << 30) - 1, 4L << 30, (4L << 30) + 123_457, size - 1];
        await using var peers = await StartAsync();
        var source = peers.Data.Combine("src", "disk.img");
        Directory.CreateDirectory(Path.GetDirectoryName(source)!);
        using (var handle = File.OpenHandle(source, FileMode.CreateNew, FileAccess.Write))
        {
            RandomAccess.SetLength(handle, size);
            for (var i = 0; i < marks.Length; i++) RandomAccess.Write(handle, new[] { (byte)(0xA0 + i) }, marks[i]);
        }

        await peers.Alice.SendAsync($"/send bob {source}");
        var offer = await peers.Bob.WaitForAsync("file_offer", e => e.Is("from", "alice"), within: Long);
        Assert.Equal(size, offer.Long("size"));
        var id = offer.Str("id");
        await peers.Bob.SendAsync($"/accept {id}");
        var done = await peers.Bob.WaitForAsync("file_done", e => e.Is("id", id), within: Long);
        var sent = await peers.Alice.WaitForAsync("file_done", e => e.Is("id", id), within: Long);
        Assert.Equal(sent.Str("sha256"), done.Str("sha256")); // the receiver checked the whole file against it before the rename

        using var received = File.OpenHandle(done.Str("path"));
        Assert.Equal(size, RandomAccess.GetLength(received));
        var one = new byte[1];
        for (var i = 0; i < marks.Length; i++)
        {
            RandomAccess.Read(received, one, marks[i]);
            Assert.Equal((byte)(0xA0 + i), one[0]);
        }
    }
}

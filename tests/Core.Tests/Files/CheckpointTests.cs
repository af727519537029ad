// IncomingFiles' background checkpoints: what a saved bitmap names, and a failed save that is made good later.
using P2PChat.Core.Files;
using P2PChat.Core.Files.Disk;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Core.Tests.Files;

public sealed class CheckpointTests : IDisposable
{
    private readonly TempDirectory _temp = new("p2pchat-checkpoint");

    public void Dispose() => _temp.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(FileManifest Manifest, byte[] Data)> OfferAsync(int chunks)
    {
        var source = _temp.Combine("f.bin");
        var data = new byte[chunks * FileManifest.DefaultChunkSize];
        new Random(7).NextBytes(data);
        await File.WriteAllBytesAsync(source, data, Ct);
        return ((await ManifestBuilder.BuildAsync(source, TransferId.NewRandom(), Ct)).Manifest, data);
    }

    private static ValueTask Write(IncomingFiles files, FileManifest manifest, byte[] data, int chunk) =>
        files.WriteVerifiedAsync(0, chunk, data.AsSpan(chunk * manifest.ChunkSize, manifest.ChunkSize));

    private static ChunkBitmap Saved(string bitmap) => ChunkBitmapCodec.Decode(File.ReadAllBytes(bitmap));

    [Fact]
    public async Task A_background_checkpoint_saves_the_chunks_written_before_it_and_the_next_save_adds_the_later_ones()
    {
        var (manifest, data) = await OfferAsync(4);
        var target = _temp.Combine("in");
        var bitmap = _temp.Combine("f.bitmap");
        string partialPath;
        using (var files = new IncomingFiles(manifest, target, "f.bin", bitmap))
        {
            files.Prepare();
            partialPath = files.PartialPath(0);
            await Write(files, manifest, data, 0);
            await Write(files, manifest, data, 1);
            Assert.True(files.TryBeginCheckpoint());
            await Write(files, manifest, data, 2); // while the save may still run: not in its snapshot
            Assert.Equal(1, files.Unsaved);
            files.Checkpoint();    // waits for the background save, then saves chunk 2 too
            Assert.Equal(0, files.Unsaved);
            Assert.False(files.TryBeginCheckpoint()); // nothing new to save
        }
        var saved = Saved(bitmap);
        Assert.Equal(3, saved.SetCount);
        Assert.False(saved[3]);
        using var partial = File.OpenHandle(partialPath);
        var back = new byte[3 * manifest.ChunkSize];
        Assert.Equal(back.Length, RandomAccess.Read(partial, back, 0));
        Assert.True(data.AsSpan(0, back.Length).SequenceEqual(back));
    }

    [Fact]
    public async Task A_background_checkpoint_that_fails_is_reported_at_the_next_one_and_a_later_save_names_every_chunk()
    {
        var (manifest, data) = await OfferAsync(2);
        var bitmapFolder = _temp.Combine("not-yet");
        var bitmap = Path.Combine(bitmapFolder, "f.bitmap");
        using var files = new IncomingFiles(manifest, _temp.Combine("in"), "f.bin", bitmap);
        files.Prepare();
        await Write(files, manifest, data, 0);
        Assert.True(files.TryBeginCheckpoint()); // fails on the worker: the bitmap's folder does not exist
        await Write(files, manifest, data, 1);
        Assert.Throws<DirectoryNotFoundException>(files.Checkpoint);
        Directory.CreateDirectory(bitmapFolder);
        files.Checkpoint(); // nothing counted as unsaved, but the failed save is made good
        Assert.Equal(2, Saved(bitmap).SetCount);
    }
}

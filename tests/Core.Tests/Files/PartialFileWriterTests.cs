// PartialFileWriter: bytes land where they belong whether they go around the page cache, through it, or both.
using P2PChat.Core.Files.Disk;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Core.Tests.Files;

public sealed class PartialFileWriterTests
{
    private const int Chunk = 64 * 1024;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Aligned_chunks_a_short_last_chunk_and_an_unaligned_write_all_land_in_place(bool directIo)
    {
        using var temp = new TempDirectory("p2pchat-writer");
        var path = temp.Combine("file.part");
        var size = 3L * Chunk + 5_001; // three whole chunks and a tail that is not a multiple of the alignment
        using (var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write)) RandomAccess.SetLength(handle, size);
        var expected = new byte[size];
        new Random(7).NextBytes(expected);

        using (var writer = PartialFileWriter.Open(path, directIo))
        {
            if (!directIo) Assert.False(writer.IsDirect);
            foreach (var chunk in new[] { 2, 0, 3 }) // out of order, as refetched chunks arrive
            {
                var offset = (long)chunk * Chunk;
                await writer.StartWrite(expected.AsSpan((int)offset, (int)Math.Min(Chunk, size - offset)), offset);
            }
            await writer.StartWrite(expected.AsSpan(Chunk, 100), Chunk);                     // aligned offset, short length: the tail path only
            await writer.StartWrite(expected.AsSpan(Chunk + 100, Chunk - 100), Chunk + 100); // unaligned offset: buffered
            writer.Flush();
        }

        Assert.Equal(expected, File.ReadAllBytes(path));
    }

    [Fact]
    public async Task Writing_the_same_range_again_through_either_path_leaves_the_last_bytes_written()
    {
        using var temp = new TempDirectory("p2pchat-writer");
        var path = temp.Combine("file.part");
        using (var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write)) RandomAccess.SetLength(handle, Chunk);
        var first = new byte[Chunk];
        var second = new byte[Chunk];
        Array.Fill(first, (byte)1);
        Array.Fill(second, (byte)2);

        using (var buffered = PartialFileWriter.Open(path, directIo: false)) await buffered.StartWrite(first, 0);
        using (var direct = PartialFileWriter.Open(path))
        {
            await direct.StartWrite(second, 0); // the page cache holds the first bytes
            direct.Flush();
        }

        Assert.Equal(second, File.ReadAllBytes(path));
    }
}

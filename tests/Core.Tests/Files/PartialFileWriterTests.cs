// PartialFileWriter: bytes land where they belong whether they go around the page cache, through it, or both.
using P2PChat.Core.Files.Disk;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Core.Tests.Files;

public sealed class PartialFileWriterTests
{
    private const int Chunk = 64 * 1024;

    private static unsafe bool PageAligned(Memory<byte> memory)
    {
        using var pin = memory.Pin();
        return (nint)pin.Pointer % PartialFileWriter.Alignment == 0;
    }

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

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Chunks_written_in_place_from_aligned_buffers_land_in_place_and_the_buffers_stay_untouched(bool directIo)
    {
        using var temp = new TempDirectory("p2pchat-writer");
        var path = temp.Combine("file.part");
        var size = 3L * Chunk + 5_001;
        using (var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write)) RandomAccess.SetLength(handle, size);
        var expected = new byte[size];
        new Random(8).NextBytes(expected);
        var pool = new ChunkBufferPool(Chunk, keep: 4);

        using (var writer = PartialFileWriter.Open(path, directIo))
        {
            var writes = new List<Task>();
            foreach (var chunk in new[] { 3, 1, 0, 2 })
            {
                var offset = chunk * Chunk;
                var length = (int)Math.Min(Chunk, size - offset);
                var buffer = pool.Rent(length);
                Assert.True(PageAligned(buffer.Memory));
                expected.AsSpan(offset, length).CopyTo(buffer.Memory.Span);
                while (!writer.HasRoom) await Task.WhenAny(writes);
                writes.Add(writer.StartWriteInPlace(buffer.Memory[..length], offset));
            }
            var unaligned = pool.Rent(Chunk);
            expected.AsSpan(Chunk + 100, 1000).CopyTo(unaligned.Memory.Span[1..]);
            await Task.WhenAll(writes);
            await writer.StartWriteInPlace(unaligned.Memory.Slice(1, 1000), Chunk + 100); // unaligned address and offset: copied
            writer.Flush();
        }

        Assert.Equal(expected, File.ReadAllBytes(path));
    }

    [Fact]
    public void Chunk_buffers_start_on_a_page_and_go_back_to_the_pool_when_their_last_user_releases_them()
    {
        var pool = new ChunkBufferPool(Chunk, keep: 1);
        var first = pool.Rent(Chunk);
        Assert.True(PageAligned(first.Memory));
        first.Retain();           // e.g. the disk write
        first.Release();          // the receive loop is done with it
        var second = pool.Rent(Chunk);
        Assert.NotSame(first, second); // still used by the write
        first.Release();          // the write completed
        second.Release();         // the pool keeps one: the first
        Assert.Same(first, pool.Rent(Chunk));
        Assert.True(pool.Rent(Chunk * 2).Capacity >= Chunk * 2); // an oversized (hostile) chunk gets a buffer of its own
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

// The whole-file hash worker: chunks handed over in order give the file's SHA-256; anything out of order gives it up.
using System.Security.Cryptography;
using P2PChat.Core.Files.Disk;
using Xunit;

namespace P2PChat.Core.Tests.Files;

public sealed class WholeFileHasherTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly ChunkBufferPool Pool = new(4096, keep: 4);

    private static ChunkBuffer Rented(byte[] data, int offset)
    {
        var rented = Pool.Rent(offset + data.Length);
        data.CopyTo(rented.Memory[offset..]);
        return rented;
    }

    [Fact]
    public async Task Chunks_of_two_files_handed_over_in_order_give_each_file_its_SHA256()
    {
        var chunks = Enumerable.Range(0, 5).Select(i => RandomNumberGenerator.GetBytes(1000 + i)).ToArray();
        await using var hasher = new WholeFileHasher(entries: 2, capacity: 2);
        for (var i = 0; i < 3; i++)
        {
            var rented = Rented(chunks[i], 8);
            Assert.True(await hasher.TryAppendAsync(0, i, rented, rented.Memory.Slice(8, chunks[i].Length), Ct));
        }
        for (var i = 3; i < 5; i++)
        {
            var rented = Rented(chunks[i], 0);
            Assert.True(await hasher.TryAppendAsync(1, i - 3, rented, rented.Memory[..chunks[i].Length], Ct));
        }
        Assert.Equal(SHA256.HashData(chunks[..3].SelectMany(c => c).ToArray()), await hasher.FinishAsync(0, 3, Ct));
        Assert.Equal(SHA256.HashData(chunks[3..].SelectMany(c => c).ToArray()), await hasher.FinishAsync(1, 2, Ct));
    }

    [Fact]
    public async Task A_chunk_out_of_order_or_a_missing_chunk_gives_the_file_up_so_the_caller_reads_it_back()
    {
        await using var hasher = new WholeFileHasher(entries: 2, capacity: 1);
        var first = Rented([1, 2, 3], 0);
        Assert.True(await hasher.TryAppendAsync(0, 0, first, first.Memory[..3], Ct));
        var third = Rented([7], 0);
        Assert.False(await hasher.TryAppendAsync(0, 2, third, third.Memory[..1], Ct)); // the hasher took no reference
        third.Release();
        Assert.Throws<InvalidOperationException>(third.Release);
        Assert.Null(await hasher.FinishAsync(0, 3, Ct));
        var only = Rented([9], 0);
        Assert.True(await hasher.TryAppendAsync(1, 0, only, only.Memory[..1], Ct));
        Assert.Null(await hasher.FinishAsync(1, 2, Ct)); // a chunk never came
    }
}

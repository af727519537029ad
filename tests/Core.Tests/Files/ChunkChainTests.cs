// Manifest version 3's chunk check: chaining states built in one pass verify every chunk alone, in any order, and nothing else.
using System.Security.Cryptography;
using FsCheck;
using FsCheck.Fluent;
using P2PChat.Core.Files;
using Xunit;

namespace P2PChat.Core.Tests.Files;

public sealed class ChunkChainTests
{
    private const int Chunk = FileManifest.MinChunkSize;

    private static byte[] Data(int length, int seed = 3)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    private static ReadOnlySpan<byte> ChunkOf(byte[] data, int chunk) => data.AsSpan(chunk * Chunk, Math.Min(Chunk, data.Length - chunk * Chunk));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(63)]
    [InlineData(Chunk - 1)]
    [InlineData(Chunk)]
    [InlineData(Chunk + 1)]
    [InlineData(Chunk + 64)]
    [InlineData(4 * Chunk)]
    [InlineData(4 * Chunk + 55)]
    public void Every_chunk_verifies_alone_in_any_order_and_the_chain_ends_in_the_files_sha256(int size)
    {
        var data = Data(size);
        var entry = CodecTests.File("f", data, Chunk);
        Assert.Equal(SHA256.HashData(data), entry.Sha256);
        Assert.Equal(FileManifest.ChunkCountFor(size, Chunk), entry.ChunkCount);
        for (var c = entry.ChunkCount - 1; c >= 0; c--) Assert.True(ChunkChain.Verifies(entry, c, ChunkOf(data, c)));
        if (size == 0) Assert.Equal(ChunkChain.EmptySha256.ToArray(), entry.Sha256);
    }

    [Fact]
    public void A_flipped_bit_anywhere_or_a_chunk_in_another_ones_place_is_refused()
    {
        var data = Data(3 * Chunk + 100);
        var entry = CodecTests.File("f", data, Chunk);
        var random = new Random(5);
        for (var c = 0; c < entry.ChunkCount; c++)
        {
            var bad = ChunkOf(data, c).ToArray();
            bad[random.Next(bad.Length)] ^= (byte)(1 << random.Next(8));
            Assert.False(ChunkChain.Verifies(entry, c, bad));
            for (var other = 0; other < entry.ChunkCount - 1; other++)
                if (other != c) Assert.False(ChunkChain.Verifies(entry, c, ChunkOf(data, other)));
        }
        // A chunk whose length is not a whole number of blocks (the codec's length check comes first, this one is a backstop).
        Assert.False(ChunkChain.Verifies(entry, 0, data.AsSpan(0, Chunk - 1)));
    }

    [Fact]
    public void A_forged_state_or_whole_file_sha256_fails_the_chunks_next_to_it_only()
    {
        var data = Data(3 * Chunk + 7);
        var entry = CodecTests.File("f", data, Chunk);
        var states = (byte[])entry.ChainStates.Clone();
        states[32] ^= 1; // the state after chunk 1
        var forged = entry with { ChainStates = states };
        Assert.Equal([true, false, false, true], Enumerable.Range(0, 4).Select(c => ChunkChain.Verifies(forged, c, ChunkOf(data, c))));
        var forgedSha = entry with { Sha256 = SHA256.HashData("other"u8) };
        Assert.Equal([true, true, true, false], Enumerable.Range(0, 4).Select(c => ChunkChain.Verifies(forgedSha, c, ChunkOf(data, c))));
    }

    [Fact]
    public void For_any_data_and_chunk_size_the_states_verify_their_chunks_and_end_in_sha256()
    {
        var config = Config.QuickThrowOnFailure.WithMaxTest(100).WithQuietOnSuccess(true);
        Check.One(config, Prop.ForAll<byte[], int>((data, blocks) =>
        {
            data ??= [];
            var chunk = 64 * (1 + (int)((uint)blocks % 8)); // the property holds for any multiple of 64 (the codec allows 16 KiB-16 MiB)
            var chain = new ChunkChainBuilder(data.Length, chunk);
            for (var offset = 0; offset < data.Length; offset += chunk) chain.Append(data.AsSpan(offset, Math.Min(chunk, data.Length - offset)));
            var entry = chain.ToEntry("f");
            var all = Enumerable.Range(0, entry.ChunkCount).All(c => ChunkChain.Verifies(entry, c, data.AsSpan(c * chunk, Math.Min(chunk, data.Length - c * chunk))));
            return all && entry.Sha256.AsSpan().SequenceEqual(SHA256.HashData(data));
        }));
    }

    [Fact]
    public void The_builder_refuses_misuse()
    {
        Assert.Throws<ArgumentException>(() => new ChunkChainBuilder(10, 100));
        var chain = new ChunkChainBuilder(Chunk + 1, Chunk);
        Assert.Throws<InvalidOperationException>(() => chain.ToEntry("f"));
        chain.Append(new byte[Chunk]);
        Assert.Throws<InvalidOperationException>(() => chain.Append(new byte[2])); // the last chunk must bring the size
    }
}

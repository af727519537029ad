// The file codecs: manifests, bitmaps and frames round-trip, and every malformed, over-limit or hostile input is refused cleanly.
using FsCheck;
using FsCheck.Fluent;
using P2PChat.Core.Files;
using Xunit;

namespace P2PChat.Core.Tests.Files;

public sealed class CodecTests
{
    internal static ManifestEntry File(string path, byte[] data, int chunkSize)
    {
        var chain = new ChunkChainBuilder(data.Length, chunkSize);
        for (var offset = 0; offset < data.Length; offset += chunkSize) chain.Append(data.AsSpan(offset, Math.Min(chunkSize, data.Length - offset)));
        return chain.ToEntry(path);
    }

    private static FileManifest Folder(params ManifestEntry[] children) =>
        new(TransferId.NewRandom(), FileManifest.MinChunkSize, [ManifestEntry.Folder("top"), .. children]);

    [Fact]
    public void A_folder_manifest_with_empty_folders_and_files_round_trips()
    {
        var m = Folder(ManifestEntry.Folder("top/empty"), File("top/a.bin", new byte[40_000], FileManifest.MinChunkSize), File("top/sub/zero", [], FileManifest.MinChunkSize));
        var back = FileManifestCodec.Decode(FileManifestCodec.Encode(m));
        Assert.Equal(m.Id, back.Id);
        Assert.Equal("top", back.Name);
        Assert.True(back.IsFolder);
        Assert.Equal(2, back.FileCount);
        Assert.Equal(40_000, back.TotalSize);
        Assert.Equal(3, back.TotalChunks);
        Assert.Equal(m.Entries.Select(e => (e.Path, e.Kind, e.Size)), back.Entries.Select(e => (e.Path, e.Kind, e.Size)));
        Assert.Equal(m.Entries[2].ChainStates, back.Entries[2].ChainStates);
        Assert.Equal(m.Entries[2].Sha256, back.Entries[2].Sha256);
    }

    [Fact]
    public void Any_manifest_of_safe_names_and_sizes_round_trips()
    {
        var names = Gen.Elements("a", "b.txt", "Ωmega", "x y", "long-name.tar.gz", "日本");
        var gen = Gen.ListOf(Gen.Zip(names, Gen.Choose(0, 70_000))).Select(files => files.Take(5)
            .Select((f, i) => File($"top/{i}-{f.Item1}", new byte[f.Item2], FileManifest.MinChunkSize)).ToArray());
        Prop.ForAll(Arb.From(gen), entries =>
        {
            var m = Folder(entries);
            var back = FileManifestCodec.Decode(FileManifestCodec.Encode(m));
            return back.Entries.Select(e => e.Path).SequenceEqual(m.Entries.Select(e => e.Path))
                && back.TotalChunks == m.TotalChunks && FileManifestCodec.Encode(back).SequenceEqual(FileManifestCodec.Encode(m));
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Every_truncation_of_a_manifest_is_refused_with_a_file_protocol_error()
    {
        var bytes = FileManifestCodec.Encode(Folder(File("top/a", new byte[20_000], FileManifest.MinChunkSize), ManifestEntry.Folder("top/e")));
        for (var n = 0; n < bytes.Length; n++) Assert.Throws<FileProtocolException>(() => FileManifestCodec.Decode(bytes.AsSpan(0, n)));
        Assert.Throws<FileProtocolException>(() => FileManifestCodec.Decode([.. bytes, 0]));
    }

    [Theory]
    [InlineData("top/../etc/passwd")]
    [InlineData("top/./x")]
    [InlineData("top//x")]
    [InlineData("top/a\\b")]
    [InlineData("top/C:x")]
    [InlineData("top/CON")]
    [InlineData("top/lpt1.txt")]
    [InlineData("top/nul.tar.gz")]
    [InlineData("top/bell\u0007")]
    [InlineData("top/trailing.")]
    [InlineData("other/x")]
    public void Hostile_or_stray_names_are_refused_and_the_error_carries_the_transfer_id(string path)
    {
        var m = Folder(ManifestEntry.Folder(path));
        var e = Assert.Throws<FileProtocolException>(() => FileManifestCodec.Decode(FileManifestCodec.Encode(m)));
        Assert.Equal(m.Id, e.Id);
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("..")]
    [InlineData("AUX")]
    public void A_hostile_top_level_name_is_refused(string name)
    {
        var m = new FileManifest(TransferId.NewRandom(), FileManifest.MinChunkSize, [File(name, [1, 2, 3], FileManifest.MinChunkSize)]);
        Assert.Throws<FileProtocolException>(() => FileManifestCodec.Decode(FileManifestCodec.Encode(m)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void An_offer_of_another_manifest_version_is_refused_with_its_id_and_a_reason_that_says_why(byte version)
    {
        var m = Folder(File("top/a", new byte[40_000], FileManifest.MinChunkSize));
        var bytes = FileManifestCodec.Encode(m);
        bytes[0] = version;
        var e = Assert.Throws<FileProtocolException>(() => FileManifestCodec.Decode(bytes));
        Assert.Equal(m.Id, e.Id);
        Assert.Contains($"version {version}", e.Message);
        Assert.Contains(version < FileManifestCodec.Version ? "older p2pchat" : "update", e.Message);
    }

    [Fact]
    public void An_empty_file_must_announce_the_sha256_of_no_bytes()
    {
        var forged = Folder(new ManifestEntry("top/empty", EntryKind.File, 0, new byte[32], []));
        var e = Assert.Throws<FileProtocolException>(() => FileManifestCodec.Decode(FileManifestCodec.Encode(forged)));
        Assert.Contains("not that of no bytes", e.Message);
        Assert.Equal(forged.Id, e.Id);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(16 * 1024, 1)]
    [InlineData(16 * 1024 + 1, 2)]
    [InlineData(3 * 16 * 1024, 3)]
    public void A_file_announces_its_sha256_and_one_chaining_state_per_chunk_but_the_last(int size, int chunks)
    {
        var entry = File("top/f", new byte[size], FileManifest.MinChunkSize);
        var m = Folder(entry);
        var back = FileManifestCodec.Decode(FileManifestCodec.Encode(m)).Entries[1];
        Assert.Equal(chunks, back.ChunkCount);
        Assert.Equal(Math.Max(0, chunks - 1) * 32, back.ChainStates.Length);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(new byte[size]), back.Sha256);
        // version 2 carried the SHA-256 and one hash per chunk: version 3 is 32 bytes shorter per file, never longer.
        Assert.Equal(1 + 16 + 4 + 4 + (1 + 2 + 3) + (1 + 2 + 5 + 8 + 32 + back.ChainStates.Length), FileManifestCodec.Encode(m).Length);
    }

    [Fact]
    public void Duplicates_files_with_children_and_bad_chunk_sizes_are_refused()
    {
        Assert.Throws<FileProtocolException>(() => FileManifestCodec.Decode(FileManifestCodec.Encode(Folder(ManifestEntry.Folder("top/a"), ManifestEntry.Folder("top/A")))));
        Assert.Throws<FileProtocolException>(() => FileManifestCodec.Decode(FileManifestCodec.Encode(Folder(File("top/a", [1], FileManifest.MinChunkSize), ManifestEntry.Folder("top/a/b")))));
        Assert.Throws<FileProtocolException>(() => FileManifestCodec.Decode(FileManifestCodec.Encode(Folder(ManifestEntry.Folder("top/a/b"), File("top/a", [1], FileManifest.MinChunkSize)))));
        var odd = new FileManifest(TransferId.NewRandom(), 100_000, [new ManifestEntry("f", EntryKind.File, 1, System.Security.Cryptography.SHA256.HashData([1]), [])]);
        Assert.Throws<FileProtocolException>(() => FileManifestCodec.Decode(FileManifestCodec.Encode(odd)));
    }

    [Fact]
    public void Chunk_size_grows_so_that_huge_transfers_stay_within_the_chunk_limit()
    {
        Assert.Equal(1 << 20, FileManifest.ChooseChunkSize(1L << 30));
        Assert.Equal(16 << 20, FileManifest.ChooseChunkSize(1L << 40));
        Assert.True((1L << 40) / FileManifest.ChooseChunkSize(1L << 40) <= FileManifest.TargetChunks);
    }

    [Fact]
    public void Any_bitmap_round_trips_and_any_flipped_bit_is_caught()
    {
        Prop.ForAll(Arb.From(Gen.Zip(Gen.Choose(0, 3000), Gen.ListOf(Gen.Choose(0, int.MaxValue))).Select(t => (n: t.Item1, set: t.Item2.Take(50).Select(i => t.Item1 == 0 ? 0 : i % t.Item1).ToArray()))), t =>
        {
            var bitmap = new ChunkBitmap(t.n);
            foreach (var i in t.set) if (t.n > 0) bitmap.Set(i);
            var bytes = ChunkBitmapCodec.Encode(bitmap);
            var back = ChunkBitmapCodec.Decode(bytes);
            var same = back.Count == bitmap.Count && back.SetCount == bitmap.SetCount && Enumerable.Range(0, t.n).All(i => back[i] == bitmap[i]);
            var flipped = (byte[])bytes.Clone();
            flipped[bytes.Length / 2] ^= 0x10;
            var caught = Record.Exception(() => ChunkBitmapCodec.Decode(flipped)) is FileProtocolException;
            return same && caught;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Missing_runs_name_exactly_the_unset_chunks()
    {
        var bitmap = new ChunkBitmap(10);
        foreach (var i in new[] { 0, 1, 4, 9 }) bitmap.Set(i);
        Assert.Equal([(2, 2), (5, 4)], bitmap.MissingRuns(0, 10).ToArray());
        Assert.Equal([(5, 2)], bitmap.MissingRuns(4, 3).ToArray());
    }

    public static TheoryData<TransferMessage> Messages()
    {
        var id = TransferId.NewRandom();
        var held = new ChunkBitmap(20);
        held.Set(3);
        return new()
        {
            new AcceptMessage(id, held), new RejectMessage(id, "no thanks"), new CancelMessage(id, "changed my mind"),
            new DoneMessage(id), new AckMessage(id, TransferMessageType.Offer), new FailedMessage(id, "source changed"),
            new HelloMessage(id), new ReadyMessage(), new RefusedMessage("wrong id"), new RequestMessage(2, 7, 9),
        };
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void Every_message_round_trips_through_its_frame(TransferMessage message)
    {
        var frame = TransferFrameCodec.Encode(message);
        var length = TransferFrameCodec.ReadHeader(frame, out var type);
        Assert.Equal(frame.Length - TransferFrameCodec.HeaderLength, length);
        var back = TransferFrameCodec.Decode(type, frame.AsMemory(TransferFrameCodec.HeaderLength));
        Assert.Equal(TransferFrameCodec.Encode(message), TransferFrameCodec.Encode(back));
    }

    [Fact]
    public void Chunk_frames_carry_their_data_and_oversized_or_unknown_frames_are_refused()
    {
        var frame = TransferFrameCodec.Encode(new ChunkMessage(1, 2, new byte[] { 9, 8, 7 }));
        var chunk = Assert.IsType<ChunkMessage>(TransferFrameCodec.Decode(TransferMessageType.Chunk, frame.AsMemory(TransferFrameCodec.HeaderLength)));
        Assert.Equal((1, 2), (chunk.Entry, chunk.Index));
        Assert.Equal(new byte[] { 9, 8, 7 }, chunk.Data.ToArray());
        Assert.Throws<FileProtocolException>(() => TransferFrameCodec.ReadHeader([0x24, 0x01, 0x01, 0, 0], out _));
        Assert.Throws<FileProtocolException>(() => TransferFrameCodec.ReadHeader([0x09, 0, 0x10, 0, 0], out _));
        Assert.Throws<FileProtocolException>(() => TransferFrameCodec.ReadHeader([0x77, 0, 0, 0, 0], out _));
        Assert.Throws<FileProtocolException>(() => TransferFrameCodec.Decode(TransferMessageType.Request, new byte[13]));
        Assert.Throws<FileProtocolException>(() => TransferFrameCodec.Decode(TransferMessageType.Request, new byte[] { 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }));
    }
}

// The three-slot record file: saves in place, the newest whole record wins, and no crash image goes back past a flushed one.
using System.Buffers.Binary;
using System.Security.Cryptography;
using P2PChat.Peer.E2e;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Peer.Tests.E2e;

public sealed class SlotFileTests : IDisposable
{
    private readonly TempDirectory _folder = new("p2pchat-slots");
    private string FilePath => Path.Combine(_folder.Path, "session-bob.bin");

    /// <summary>Stands in for the vault: a record opens only if whole (a torn or altered record throws).</summary>
    private static byte[] Seal(byte[] plain) => [.. SHA256.HashData(plain), .. plain];

    private static byte[] Open(byte[] record)
    {
        if (record.Length < 32 || !SHA256.HashData(record.AsSpan(32)).AsSpan().SequenceEqual(record.AsSpan(0, 32)))
            throw new InvalidDataException("damaged record");
        return record[32..];
    }

    private static byte[] Content(int n) => [.. "state "u8, .. BitConverter.GetBytes(n)];

    private static int Number(byte[] content) => BitConverter.ToInt32(content, 6);

    private byte[]? ReadFresh() => new SlotFile(FilePath).Read(Open);

    [Fact]
    public void Saves_go_in_place_and_a_fresh_reader_gets_the_newest()
    {
        var file = new SlotFile(FilePath);
        Assert.Null(file.Read(Open));
        file.Write(Content(1), Seal, KeyFileWrite.Durable);
        long length = new FileInfo(FilePath).Length;
        Assert.Equal(SlotFile.PageSize + SlotFile.SlotCount * SlotFile.PageSize, length);
        for (int n = 2; n <= 9; n++)
        {
            file.Write(Content(n), Seal, n % 3 == 0 ? KeyFileWrite.Durable : KeyFileWrite.Atomic);
            Assert.Equal(n, Number(ReadFresh()!));
        }
        Assert.Equal(length, new FileInfo(FilePath).Length);
        Assert.Equal(["session-bob.bin"], Directory.GetFiles(_folder.Path).Select(Path.GetFileName));
        Assert.Equal("P2PS"u8.ToArray(), File.ReadAllBytes(FilePath)[..4]);
    }

    [Theory]
    [InlineData(new long[] { 5, -1, -1 }, 0, 0, 1)]    // one record, flushed: the first empty slot
    [InlineData(new long[] { 5, 6, -1 }, 1, 0, 2)]     // neither the newest (1) nor the flushed one (0)
    [InlineData(new long[] { 5, 6, 7 }, 2, 0, 1)]      // the flush lags: keep 0, write over 1
    [InlineData(new long[] { 5, 8, 7 }, 1, 0, 2)]
    [InlineData(new long[] { 5, 6, 7 }, 2, 2, 0)]      // newest is flushed: the oldest of the other two
    [InlineData(new long[] { 9, 6, 7 }, 0, 0, 1)]
    public void A_save_never_goes_to_the_newest_slot_nor_to_the_newest_flushed_one(long[] sequences, int newest, int durable, int expected)
    {
        Assert.Equal(expected, SlotFile.ChooseSlot(sequences, newest, durable));
    }

    [Fact]
    public void A_save_torn_by_a_killed_process_leaves_the_record_before_it()
    {
        var file = new SlotFile(FilePath);
        for (int n = 1; n <= 4; n++) file.Write(Content(n), Seal, KeyFileWrite.Atomic);
        var bytes = File.ReadAllBytes(FilePath);
        int torn = SlotHolding(bytes, 4);
        bytes[SlotStart(bytes, torn) + 40] ^= 0xFF;   // the save of record 4 stopped half way
        File.WriteAllBytes(FilePath, bytes);
        Assert.Equal(3, Number(ReadFresh()!));
    }

    /// <summary>
    /// A power loss model: after a flushed save, any number of unflushed ones; each slot written since may then hold its
    /// old bytes, its new bytes or a torn mix. Every such image reads back the flushed record or a later one.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void After_a_power_loss_the_file_never_goes_back_past_the_last_flushed_save(int unflushed)
    {
        var file = new SlotFile(FilePath);
        file.Write(Content(1), Seal, KeyFileWrite.Durable);
        file.Write(Content(2), Seal, KeyFileWrite.Atomic);
        file.Write(Content(3), Seal, KeyFileWrite.Durable);
        var flushed = File.ReadAllBytes(FilePath);
        for (int n = 4; n < 4 + unflushed; n++) file.Write(Content(n), Seal, KeyFileWrite.Atomic);
        var current = File.ReadAllBytes(FilePath);
        int slotSize = SlotSize(current);
        int images = 0;
        foreach (var choice in Choices(SlotFile.SlotCount))
        {
            var image = (byte[])flushed.Clone();
            for (int slot = 0; slot < SlotFile.SlotCount; slot++)
            {
                int start = SlotStart(current, slot);
                bool written = !current.AsSpan(start, slotSize).SequenceEqual(flushed.AsSpan(start, slotSize));
                if (choice[slot] >= 1) current.AsSpan(start, slotSize).CopyTo(image.AsSpan(start));
                if (choice[slot] == 2 && written) image[start + 40] ^= 0xFF;   // torn: new length, mixed bytes
            }
            File.WriteAllBytes(FilePath, image);
            Assert.True(Number(ReadFresh()!) >= 3, $"image {string.Join(",", choice)} went back past the flushed save");
            images++;
        }
        Assert.Equal(27, images);
    }

    [Fact]
    public void A_file_of_the_old_format_is_read_and_the_next_save_makes_it_a_slot_file()
    {
        Directory.CreateDirectory(_folder.Path);
        File.WriteAllBytes(FilePath, Seal(Content(7)));   // one sealed blob, as before slot files
        var file = new SlotFile(FilePath);
        Assert.Equal(7, Number(file.Read(Open)!));
        file.Write(Content(8), Seal, KeyFileWrite.SyncSoon);
        Assert.Equal("P2PS"u8.ToArray(), File.ReadAllBytes(FilePath)[..4]);
        Assert.Equal(8, Number(ReadFresh()!));
    }

    [Fact]
    public void A_record_that_outgrows_its_slot_is_written_whole_with_larger_slots()
    {
        var file = new SlotFile(FilePath);
        file.Write(Content(1), Seal, KeyFileWrite.Durable);
        var big = new byte[10_000];
        Content(2).CopyTo(big, 0);
        file.Write(big, Seal, KeyFileWrite.Atomic);
        Assert.Equal(big, ReadFresh());
        Assert.True(SlotSize(File.ReadAllBytes(FilePath)) >= 20_000);
        file.Write(Content(3), Seal, KeyFileWrite.Atomic);
        Assert.Equal(3, Number(ReadFresh()!));
    }

    [Fact]
    public void A_file_with_no_whole_record_fails_with_the_reason()
    {
        var file = new SlotFile(FilePath);
        file.Write(Content(1), Seal, KeyFileWrite.Durable);
        file.Write(Content(2), Seal, KeyFileWrite.Durable);
        var bytes = File.ReadAllBytes(FilePath);
        for (int slot = 0; slot < SlotFile.SlotCount; slot++) bytes[SlotStart(bytes, slot) + 40] ^= 0xFF;
        File.WriteAllBytes(FilePath, bytes);
        Assert.Equal("damaged record", Assert.Throws<InvalidDataException>(ReadFresh).Message);
    }

    private static int SlotSize(byte[] file) => (int)BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(8));

    private static int SlotStart(byte[] file, int slot) => SlotFile.PageSize + slot * SlotSize(file);

    private static int SlotHolding(byte[] file, int number)
    {
        for (int slot = 0; slot < SlotFile.SlotCount; slot++)
        {
            int start = SlotStart(file, slot);
            int length = (int)BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(start));
            if (length > 0 && Number(Open(file.AsSpan(start + 4, length).ToArray())[8..]) == number) return slot;
        }
        throw new InvalidOperationException($"no slot holds record {number}");
    }

    /// <summary>Every assignment of old (0), new (1) or torn (2) to each slot.</summary>
    private static IEnumerable<int[]> Choices(int slots)
    {
        int total = (int)Math.Pow(3, slots);
        for (int i = 0; i < total; i++)
        {
            var choice = new int[slots];
            for (int s = 0, v = i; s < slots; s++, v /= 3) choice[s] = v % 3;
            yield return choice;
        }
    }

    public void Dispose() => _folder.Dispose();
}

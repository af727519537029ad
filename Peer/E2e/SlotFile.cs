// One sealed record kept in three slots of one file: a save is one write in place, with no new file and no rename.
using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace P2PChat.Peer.E2e;

/// <summary>
/// <para>Layout (all integers big-endian):
/// <code>
/// offset 0                     header: magic "P2PS" (4) | version 1 (1) | slot count 3 (1) | reserved (2) | slot size u32
///                              (the rest of the first 4096 bytes is zero)
/// 4096 + i × slot size, i=0..2 slot: record length u32 (0 = empty) | record (length bytes)
/// record                       sealed (by the caller, e.g. the profile vault) over: sequence u64 | content
/// </code>
/// The slot size is a multiple of 4096, so no two slots share a page or a disk sector. The newest record is the valid
/// one (the caller's open accepts it: it is authenticated) with the highest sequence; a torn or damaged slot is simply
/// not valid.</para>
/// <para><b>Why:</b> replacing a file (write a temporary file, rename it over the old one) costs a directory change, which on
/// ext4 waits behind the journal and forces the new file's blocks out: 0.3–4 ms at the median and 13–16 ms at p99 on
/// this machine's shared disk, against 0.03 / 0.08 ms for a write in place (docs/benchmarks.md, "PM round trip").
/// A ratchet state is saved after every message, so that was most of a PM's way through a peer.</para>
/// <para><b>Which slot a save goes to</b> (<see cref="ChooseSlot"/>): never the slot holding the newest record, so a
/// process killed in the middle of a write leaves the newest record whole (exactly what the rename gave); and never the
/// slot holding the newest record known to be on disk (written, then flushed by fdatasync with no write to that slot
/// since), so a power loss in the middle leaves at least that one. With three slots one is always left. After a power
/// loss the file therefore yields the last flushed record or a later one, never an earlier one: the guarantee
/// the sending lease's argument rests on (docs/security.md 6.6).</para>
/// <para>A new file, a file of the old format (one sealed blob, read as sequence 0) and a record that outgrows its slot
/// are written whole, the old way (temporary file, flushed, renamed, folder flushed): once per contact, or when the
/// skipped keys grow past the slot. Not thread-safe for writers (the caller serialises saves); the flush after a
/// <see cref="KeyFileWrite.SyncSoon"/> save runs on <see cref="DiskSyncThread"/> and shares only <c>_gate</c>.</para>
/// </summary>
public sealed class SlotFile(string path)
{
    public const int SlotCount = 3;
    public const int PageSize = 4096;
    private const int LengthBytes = 4, SequenceBytes = 8;
    private static ReadOnlySpan<byte> Magic => "P2PS"u8;
    private const byte Version = 1;

    private readonly Lock _gate = new();
    /// <summary>Sequence of the record in each slot, −1 when empty or not valid; null until read or written whole.</summary>
    private long[]? _sequences;
    private int _slotSize;
    private int _newest = -1;
    private int _durable = -1;
    private bool _syncQueued;

    public string Path => path;

    /// <summary>
    /// The content of the newest valid record, or null when there is no file. <paramref name="open"/> authenticates and
    /// opens a record (it throws when the record is damaged or not ours); if no slot opens, its first error is thrown.
    /// A file of the old format (one sealed blob) is opened whole.
    /// </summary>
    public byte[]? Read(Func<byte[], byte[]> open)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
        lock (_gate)
        {
            if (!TryReadHeader(bytes, out int slotSize))
            {
                _sequences = null;   // the old format: the next save writes the whole file
                return open(bytes);
            }
            var sequences = new long[SlotCount];
            byte[]? newest = null;
            int newestSlot = -1;
            Exception? firstError = null;
            for (int i = 0; i < SlotCount; i++)
            {
                sequences[i] = -1;
                if (RecordIn(bytes, slotSize, i) is not { } record) continue;
                try
                {
                    var plain = open(record);
                    if (plain.Length < SequenceBytes) continue;
                    long sequence = (long)BinaryPrimitives.ReadUInt64BigEndian(plain);
                    sequences[i] = sequence;
                    if (newestSlot < 0 || sequence > sequences[newestSlot])
                    {
                        newestSlot = i;
                        newest = plain[SequenceBytes..];
                    }
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    firstError ??= e;
                }
            }
            if (newest is null) throw firstError ?? new InvalidDataException($"{path} holds no record");
            _sequences = sequences;
            _slotSize = slotSize;
            _newest = newestSlot;
            // What was read may still be only in the page cache (a crash of the process before it was flushed): flush it
            // once, so the newest record counts as the one on disk.
            FlushData();
            _durable = newestSlot;
            return newest;
        }
    }

    /// <summary>
    /// Saves <paramref name="content"/> as the newest record, sealed by <paramref name="seal"/> (over its sequence and
    /// the content). Durable: on disk before this returns. SyncSoon: flushed on <see cref="DiskSyncThread"/> right after. Atomic: no
    /// flush asked for (a killed process still keeps it).
    /// </summary>
    public void Write(ReadOnlySpan<byte> content, Func<byte[], byte[]> seal, KeyFileWrite mode)
    {
        lock (_gate)
        {
            long sequence = _sequences is null ? 1 : _sequences.Max() + 1;
            var plain = new byte[SequenceBytes + content.Length];
            BinaryPrimitives.WriteUInt64BigEndian(plain, (ulong)sequence);
            content.CopyTo(plain.AsSpan(SequenceBytes));
            var record = seal(plain);
            if (_sequences is null || LengthBytes + record.Length > _slotSize)
            {
                WriteWhole(record, sequence);
                return;
            }
            int slot = ChooseSlot(_sequences, _newest, _durable);
            var bytes = new byte[LengthBytes + record.Length];
            BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)record.Length);
            record.CopyTo(bytes, LengthBytes);
            _sequences[slot] = -1;   // torn until the write returns
            using (var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
            {
                RandomAccess.Write(handle, bytes, SlotOffset(slot, _slotSize));
                if (mode == KeyFileWrite.Durable) DurableFiles.SyncData(handle);
            }
            _sequences[slot] = sequence;
            _newest = slot;
            if (mode == KeyFileWrite.Durable) _durable = slot;
            else if (mode == KeyFileWrite.SyncSoon && !_syncQueued)
            {
                _syncQueued = true;
                DiskSyncThread.Queue(SyncNewest);
            }
        }
    }

    /// <summary>
    /// The slot the next record goes to: neither the newest (<paramref name="newest"/>) nor the newest known to be on
    /// disk (<paramref name="durable"/>); of those left, the one with the oldest record (an empty one first).
    /// </summary>
    public static int ChooseSlot(IReadOnlyList<long> sequences, int newest, int durable)
    {
        int chosen = -1;
        for (int i = 0; i < sequences.Count; i++)
        {
            if (i == newest || i == durable) continue;
            if (chosen < 0 || sequences[i] < sequences[chosen]) chosen = i;
        }
        return chosen;
    }

    /// <summary>Forgets what it knew of the file (it was deleted): the next save writes it whole.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _sequences = null;
            _newest = _durable = -1;
        }
    }

    /// <summary>Flushes the file and marks the record that was newest when it started as on disk, if its slot was not written meanwhile.</summary>
    private void SyncNewest()
    {
        int slot;
        long sequence;
        lock (_gate)
        {
            _syncQueued = false;
            if (_sequences is null || _newest < 0) return;
            slot = _newest;
            sequence = _sequences[slot];
        }
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
            DurableFiles.SyncData(handle);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;   // the file went away (deleted with its session): nothing to flush
        }
        lock (_gate)
        {
            if (_sequences is not null && _sequences[slot] == sequence && (_durable < 0 || sequence > _sequences[_durable])) _durable = slot;
        }
    }

    private void FlushData()
    {
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
            DurableFiles.SyncData(handle);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>A new file with the record in slot 0, replacing the old one atomically and durably.</summary>
    private void WriteWhole(byte[] record, long sequence)
    {
        int slotSize = SlotSizeFor(record.Length);
        var bytes = new byte[PageSize + SlotCount * slotSize];
        Magic.CopyTo(bytes);
        bytes[4] = Version;
        bytes[5] = SlotCount;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(8), (uint)slotSize);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(PageSize), (uint)record.Length);
        record.CopyTo(bytes, PageSize + LengthBytes);
        var folder = System.IO.Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(folder);
        var temp = path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(bytes);
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
        DurableFiles.SyncFolder(folder);
        _sequences = [sequence, -1, -1];
        _slotSize = slotSize;
        _newest = _durable = 0;
    }

    /// <summary>Room for twice the record (the skipped keys may grow), in whole pages.</summary>
    public static int SlotSizeFor(int recordLength) =>
        (int)Math.Min(int.MaxValue / 4, ((2L * (LengthBytes + recordLength) + PageSize - 1) / PageSize) * PageSize);

    private static long SlotOffset(int slot, int slotSize) => PageSize + (long)slot * slotSize;

    private static bool TryReadHeader(byte[] bytes, out int slotSize)
    {
        slotSize = 0;
        if (bytes.Length < PageSize || !bytes.AsSpan(0, 4).SequenceEqual(Magic) || bytes[4] != Version || bytes[5] != SlotCount) return false;
        long size = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(8));
        if (size < PageSize || size % PageSize != 0 || PageSize + SlotCount * size > bytes.Length) return false;
        slotSize = (int)size;
        return true;
    }

    private static byte[]? RecordIn(byte[] bytes, int slotSize, int slot)
    {
        long offset = SlotOffset(slot, slotSize);
        uint length = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan((int)offset));
        if (length == 0 || length > slotSize - LengthBytes) return null;
        return bytes.AsSpan((int)offset + LengthBytes, (int)length).ToArray();
    }
}

// Writes verified chunks into a partial file, around the page cache (O_DIRECT) where the OS and file system allow it.
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace P2PChat.Core.Files.Disk;

/// <summary>
/// Why: a buffered write copies every received byte into the page cache, into pages the kernel must first allocate and
/// zero; on the benchmark machine (a paravirtualised VM) that is ~2.2 CPU s per GiB, about as much as everything else
/// the receiver does, and it fills the cache with a file nobody reads back soon. With O_DIRECT the kernel moves the
/// bytes from one aligned buffer of ours to the disk (0.3 CPU s per GiB here; docs/benchmarks.md, Files, session 9).
/// How: two descriptors on the same file. Linux x64/arm64: an O_DIRECT one takes the aligned part of each write (file
/// offset, length and buffer address multiples of <see cref="Alignment"/>; chunk sizes are powers of two of at least
/// 16 KiB, so only a file's last chunk has a tail); the data is copied into an aligned buffer first. The ordinary one
/// takes the unaligned tail, every write where O_DIRECT is not available (other OSes, file systems that refuse it with
/// EINVAL, such as tmpfs before Linux 6.6) or disabled (<c>P2PCHAT_FILES_DIRECT_IO=0</c>), and <see cref="Flush"/>:
/// fsync is per file, not per descriptor, so it makes both kinds of write durable. The aligned part of a write goes to
/// the disk in the background (a pool thread, <see cref="Depth"/> at a time, from aligned buffers of ours), so the
/// receive loop does not wait for the device; <see cref="IncomingFiles"/> marks a chunk saved only once its write has
/// completed. <see cref="StartWriteInPlace"/> skips the copy into our buffers when the caller's bytes are aligned
/// already (the receiver's <see cref="ChunkBuffer"/>s). One caller at a time; <see cref="Flush"/> may run on another thread meanwhile.
/// </summary>
public sealed unsafe partial class PartialFileWriter : IDisposable
{
    /// <summary>Offset, length and address alignment for O_DIRECT (a page: enough for 512- and 4096-byte sectors).</summary>
    public const int Alignment = 4096;

    /// <summary>Whether writes may go around the page cache (the environment variable <c>P2PCHAT_FILES_DIRECT_IO=0</c>
    /// turns it off, for A/B runs and as an escape hatch).</summary>
    public static bool DirectIoEnabled { get; } = Environment.GetEnvironmentVariable("P2PCHAT_FILES_DIRECT_IO") != "0";

    /// <summary>O_DIRECT writes in flight at once: the virtual disk here takes ~1.7 ms per MiB at one write in flight
    /// (dd: 600 MB/s) and twice the throughput with two (2 x 540 MB/s), so two keep it off the receive path.</summary>
    public const int Depth = 2;

    private readonly SafeFileHandle _buffered;
    private readonly int _direct;        // the O_DIRECT descriptor, -1 when none
    private volatile bool _directRefused; // the file system said EINVAL: every later write goes buffered
    private readonly Task[] _writes = [Task.CompletedTask, Task.CompletedTask]; // per slot: its last write
    private readonly byte*[] _buffers = new byte*[Depth];
    private readonly int[] _bufferLengths = new int[Depth];

    private PartialFileWriter(SafeFileHandle buffered, int direct)
    {
        _buffered = buffered;
        _direct = direct;
    }

    /// <summary>Opens an existing partial file for writing.</summary>
    public static PartialFileWriter Open(string path, bool directIo = true)
    {
        var buffered = File.OpenHandle(path, FileMode.Open, FileAccess.Write, FileShare.Read);
        var direct = -1;
        if (directIo && DirectIoEnabled && OpenDirectFlag() is { } flag)
            direct = OpenNative(path, OWronly | OCloexec | flag); // -1 when refused: writes stay buffered
        return new PartialFileWriter(buffered, direct);
    }

    /// <summary>Whether writes currently go around the page cache.</summary>
    public bool IsDirect => _direct >= 0 && !_directRefused;

    /// <summary>Whether a write can start now (fewer than <see cref="Depth"/> in flight).</summary>
    public bool HasRoom => Array.Exists(_writes, w => w.IsCompleted);

    /// <summary>Starts writing <paramref name="data"/> at <paramref name="offset"/> and returns that write: the bytes are
    /// copied before this returns; the aligned part goes to the disk in the background, the rest at once. The caller
    /// keeps at most <see cref="Depth"/> in flight (<see cref="HasRoom"/>) and learns of a failure from the task.</summary>
    /// <exception cref="IOException">the unaligned part could not be written.</exception>
    public Task StartWrite(ReadOnlySpan<byte> data, long offset)
    {
        var head = AlignedHead(data.Length, offset);
        var write = Task.CompletedTask;
        if (head > 0)
        {
            var slot = FreeSlot();
            data[..head].CopyTo(Buffer(slot, head));
            write = _writes[slot] = Task.Run(() => WriteDirect(_buffers[slot], head, offset));
        }
        if (head < data.Length) RandomAccess.Write(_buffered, data[head..], offset + head);
        return write;
    }

    /// <summary>Like <see cref="StartWrite"/>, but the aligned part goes to the disk straight from
    /// <paramref name="data"/>, without a copy, when it starts on a page boundary (a <see cref="ChunkBuffer"/> does):
    /// the caller keeps those bytes unchanged until the returned write completes. Anything else (writes through the
    /// page cache, an unaligned offset or address) is copied as <see cref="StartWrite"/> does.</summary>
    /// <exception cref="IOException">the unaligned part could not be written.</exception>
    public Task StartWriteInPlace(ReadOnlyMemory<byte> data, long offset)
    {
        var pin = data.Pin();
        var address = (nint)pin.Pointer;
        var head = address % Alignment == 0 ? AlignedHead(data.Length, offset) : 0;
        if (head == 0)
        {
            pin.Dispose();
            return StartWrite(data.Span, offset);
        }
        Task write;
        try
        {
            var slot = FreeSlot();
            write = _writes[slot] = Task.Run(() =>
            {
                try { WriteDirect((byte*)address, head, offset); }
                finally { pin.Dispose(); }
            });
        }
        catch
        {
            pin.Dispose();
            throw;
        }
        if (head < data.Length) RandomAccess.Write(_buffered, data.Span[head..], offset + head);
        return write;
    }

    /// <summary>How much of a write of <paramref name="length"/> bytes at <paramref name="offset"/> goes around the page
    /// cache: whole pages from an aligned offset while writes are direct, else nothing.</summary>
    private int AlignedHead(int length, long offset) => IsDirect && offset % Alignment == 0 ? length / Alignment * Alignment : 0;

    /// <summary>A slot whose background write has completed.</summary>
    private int FreeSlot()
    {
        var slot = Array.FindIndex(_writes, w => w.IsCompleted);
        return slot >= 0 ? slot : throw new InvalidOperationException($"more than {Depth} writes in flight");
    }

    /// <summary>Makes every completed write durable (fsync: per file, so it covers both descriptors). Writes still in
    /// flight are not waited for. May run on another thread while writes go on (a background checkpoint).</summary>
    public void Flush() => RandomAccess.FlushToDisk(_buffered);

    private Span<byte> Buffer(int slot, int length)
    {
        if (_bufferLengths[slot] < length)
        {
            NativeMemory.AlignedFree(_buffers[slot]);
            _buffers[slot] = null;
            _bufferLengths[slot] = 0;
            _buffers[slot] = (byte*)NativeMemory.AlignedAlloc((nuint)length, Alignment);
            _bufferLengths[slot] = length;
        }
        return new Span<byte>(_buffers[slot], length);
    }

    /// <summary>One background write of <paramref name="length"/> bytes from the aligned <paramref name="buffer"/>: through
    /// the O_DIRECT descriptor, or buffered from the same bytes when the file system refuses it (EINVAL).</summary>
    private void WriteDirect(byte* buffer, int length, long offset)
    {
        for (var done = 0; done < length;)
        {
            if (_directRefused)
            {
                RandomAccess.Write(_buffered, new ReadOnlySpan<byte>(buffer + done, length - done), offset + done);
                return;
            }
            var n = PWrite(_direct, buffer + done, (nuint)(length - done), offset + done);
            if (n > 0) { done += (int)n; continue; }
            var errno = n < 0 ? Marshal.GetLastPInvokeError() : 0;
            if (errno == EIntr) continue;
            if (errno == EInval) { _directRefused = true; continue; }
            var message = errno == 0 ? "the disk accepted no bytes" : Marshal.GetPInvokeErrorMessage(errno);
            throw new IOException($"writing the partial file: {message}", errno);
        }
    }

    /// <summary>Waits for the writes in flight (their failures are the caller's to see), then closes.</summary>
    public void Dispose()
    {
        foreach (var write in _writes)
            ((IAsyncResult)write).AsyncWaitHandle.WaitOne();
        if (_direct >= 0) Close(_direct);
        _buffered.Dispose();
        for (var i = 0; i < Depth; i++)
        {
            NativeMemory.AlignedFree(_buffers[i]);
            _buffers[i] = null;
            _bufferLengths[i] = 0;
        }
    }

    private const int OWronly = 1, OCloexec = 0x80000, EIntr = 4, EInval = 22;

    /// <summary>O_DIRECT's value where this code knows it (it differs between architectures), else null.</summary>
    private static int? OpenDirectFlag() => !OperatingSystem.IsLinux() ? null : RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 or Architecture.X86 => 0x4000,
        Architecture.Arm64 or Architecture.Arm => 0x10000,
        _ => null,
    };

    private static int OpenNative(string path, int flags)
    {
        try { return Open(path, flags); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return -1; }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "pwrite", SetLastError = true)]
    private static partial nint PWrite(int fd, byte* buffer, nuint count, long offset);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}

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
/// 16 KiB, so only a file's last chunk has a tail); the data is copied into one aligned buffer first. The ordinary one
/// takes the unaligned tail, every write where O_DIRECT is not available (other OSes, file systems that refuse it with
/// EINVAL, such as tmpfs before Linux 6.6) or disabled (<c>P2PCHAT_FILES_DIRECT_IO=0</c>), and <see cref="Flush"/>:
/// fsync is per file, not per descriptor, so it makes both kinds of write durable. Not thread-safe except that
/// <see cref="Flush"/> may run while another thread writes (as a background checkpoint does).
/// </summary>
public sealed unsafe partial class PartialFileWriter : IDisposable
{
    /// <summary>Offset, length and address alignment for O_DIRECT (a page: enough for 512- and 4096-byte sectors).</summary>
    public const int Alignment = 4096;

    /// <summary>Whether writes may go around the page cache (the environment variable <c>P2PCHAT_FILES_DIRECT_IO=0</c>
    /// turns it off, for A/B runs and as an escape hatch).</summary>
    public static bool DirectIoEnabled { get; } = Environment.GetEnvironmentVariable("P2PCHAT_FILES_DIRECT_IO") != "0";

    private readonly SafeFileHandle _buffered;
    private int _direct = -1; // the O_DIRECT descriptor, -1 when none
    private byte* _aligned;
    private int _alignedLength;

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
    public bool IsDirect => _direct >= 0;

    /// <summary>Writes <paramref name="data"/> at <paramref name="offset"/>.</summary>
    /// <exception cref="IOException">the write failed (<see cref="IncomingFiles.IsDiskFull"/> tells a full disk).</exception>
    public void Write(ReadOnlySpan<byte> data, long offset)
    {
        var head = _direct >= 0 && offset % Alignment == 0 ? data.Length / Alignment * Alignment : 0;
        if (head > 0 && !TryWriteDirect(data[..head], offset)) head = 0;
        if (head < data.Length) RandomAccess.Write(_buffered, data[head..], offset + head);
    }

    /// <summary>Makes every write so far durable (fsync).</summary>
    public void Flush() => RandomAccess.FlushToDisk(_buffered);

    /// <summary>Copies into the aligned buffer and writes through the O_DIRECT descriptor; false (and O_DIRECT given up
    /// for this file) when the file system refuses it, so the caller writes the same bytes buffered.</summary>
    private bool TryWriteDirect(ReadOnlySpan<byte> data, long offset)
    {
        if (_alignedLength < data.Length)
        {
            NativeMemory.AlignedFree(_aligned);
            _aligned = null;
            _alignedLength = 0;
            _aligned = (byte*)NativeMemory.AlignedAlloc((nuint)data.Length, Alignment);
            _alignedLength = data.Length;
        }
        data.CopyTo(new Span<byte>(_aligned, data.Length));
        for (var done = 0; done < data.Length;)
        {
            var n = PWrite(_direct, _aligned + done, (nuint)(data.Length - done), offset + done);
            if (n > 0) { done += (int)n; continue; }
            var errno = n < 0 ? Marshal.GetLastPInvokeError() : 0;
            if (errno == EIntr) continue;
            if (errno == EInval && done == 0)
            {
                CloseDirect();
                return false;
            }
            var message = errno == 0 ? "the disk accepted no bytes" : Marshal.GetPInvokeErrorMessage(errno);
            throw new IOException($"writing the partial file: {message}", errno);
        }
        return true;
    }

    private void CloseDirect()
    {
        if (_direct >= 0) Close(_direct);
        _direct = -1;
    }

    public void Dispose()
    {
        CloseDirect();
        _buffered.Dispose();
        NativeMemory.AlignedFree(_aligned);
        _aligned = null;
        _alignedLength = 0;
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

// A Linux TUN device (layer 3, no packet-info header) opened through /dev/net/tun, read and written as raw IP packets.
using System.Runtime.InteropServices;

namespace P2PChat.NetLab.Emulation;

/// <summary>
/// The device exists while this object is open (it is not made persistent) and disappears on <see cref="Dispose"/>.
/// It is created in the calling thread's network namespace and may then be moved with <c>ip link set NAME netns NS</c>;
/// the file descriptor keeps working.
/// </summary>
public sealed partial class TunDevice : IDisposable
{
    private const uint TunSetIff = 0x400454ca;
    private const short IffTun = 0x0001;
    private const short IffNoPi = 0x1000;
    private const int OReadWrite = 2;
    private int _fd;

    private TunDevice(int fd, string name)
    {
        _fd = fd;
        Name = name;
    }

    public string Name { get; }

    public static TunDevice Create(string name)
    {
        if (name.Length > 15) throw new ArgumentException("interface names have at most 15 characters", nameof(name));
        int fd = open("/dev/net/tun", OReadWrite);
        if (fd < 0) throw new IOException($"open /dev/net/tun failed: errno {Marshal.GetLastPInvokeError()}");
        var request = new byte[40];
        System.Text.Encoding.ASCII.GetBytes(name, request);
        BitConverter.TryWriteBytes(request.AsSpan(16), (short)(IffTun | IffNoPi));
        if (ioctl(fd, TunSetIff, request) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            close(fd);
            throw new IOException($"TUNSETIFF {name} failed: errno {errno}");
        }
        return new TunDevice(fd, name);
    }

    /// <summary>
    /// Waits up to 200 ms for a packet leaving the device's namespace through it; returns its length, 0 if none came,
    /// or −1 once closed.
    /// </summary>
    public int Read(Span<byte> buffer)
    {
        int fd = _fd;
        if (fd < 0) return -1;
        Span<byte> pollFd = stackalloc byte[8];
        BitConverter.TryWriteBytes(pollFd, fd);
        BitConverter.TryWriteBytes(pollFd[4..], (short)1); // POLLIN
        int ready = poll(ref MemoryMarshal.GetReference(pollFd), 1, 200);
        if (ready <= 0) return _fd < 0 ? -1 : 0;
        long n = read(fd, ref MemoryMarshal.GetReference(buffer), (nuint)buffer.Length);
        return (int)Math.Max(n, -1);
    }

    /// <summary>Injects a packet into the device's namespace as if it had arrived on the link.</summary>
    public void Write(ReadOnlySpan<byte> packet)
    {
        int fd = _fd;
        if (fd >= 0) write(fd, ref MemoryMarshal.GetReference(packet), (nuint)packet.Length);
    }

    public void Dispose()
    {
        int fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0) close(fd);
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int ioctl(int fd, uint request, byte[] argument);

    [LibraryImport("libc", SetLastError = true)]
    private static partial long read(int fd, ref byte buffer, nuint count);

    [LibraryImport("libc", SetLastError = true)]
    private static partial long write(int fd, ref readonly byte buffer, nuint count);

    [LibraryImport("libc")]
    private static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int poll(ref byte fds, nuint count, int timeoutMs);
}

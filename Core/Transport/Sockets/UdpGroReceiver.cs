// Linux UDP GRO receive path: one recvmsg returns a train of same-size datagrams, split using the UDP_GRO control message.
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace P2PChat.Core.Transport.Sockets;

/// <summary>
/// With UDP_GRO (option 104 at level SOL_UDP = 17) enabled, the kernel may hand several datagrams of one flow to one
/// <c>recvmsg</c> call, back to back, and states their size in a control message (level 17, type 104, an int). The
/// <see cref="Socket"/> API does not expose arbitrary control messages, so this calls <c>poll</c>/<c>recvmsg</c> on the
/// socket's descriptor directly (64-bit Linux only). While datagrams keep coming, one system call per receive: each
/// <c>recvmsg</c> is non-blocking, and only an empty queue (EAGAIN) ends a batch and waits in <c>poll</c> (before
/// session 10: a <c>poll</c> before and a FIONREAD <c>ioctl</c> after every receive, three calls where one does).
/// Layouts used (x86-64 and arm64):
/// <code>
/// msghdr  0 name* | 8 namelen u32 | 16 iov* | 24 iovlen u64 | 32 control* | 40 controllen u64 | 48 flags i32   (56 bytes)
/// iovec   0 base* | 8 len u64
/// cmsghdr 0 len u64 | 8 level i32 | 12 type i32 | 16 data (each header aligned to 8)
/// sockaddr_in 0 family u16 (2) | 2 port (big-endian) | 4 address (4);  sockaddr_in6 0 family (10) | 2 port | 8 address (16)
/// </code>
/// </summary>
internal static unsafe partial class UdpGroReceiver
{
    private const int SolUdp = 17;
    private const int UdpGro = 104;
    private const short PollIn = 1;
    private const int MsgDontWait = 0x40, EAgain = 11;
    /// <summary>Datagrams delivered before <see cref="IDatagramReceiver.OnBatchEnd"/> even while more are queued.</summary>
    private const int MaxBatch = 64;

    public static bool IsSupported =>
        OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    /// <summary>Turns GRO on for <paramref name="socket"/>; false when the kernel refuses.</summary>
    public static bool TryEnable(Socket socket)
    {
        if (!IsSupported || Environment.GetEnvironmentVariable("P2PCHAT_NO_GRO") == "1") return false;
        try
        {
            socket.SetRawSocketOption(SolUdp, UdpGro, BitConverter.GetBytes(1));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>
    /// Receives until <paramref name="stopped"/> says so or the socket fails, delivering each datagram separately and
    /// calling <see cref="IDatagramReceiver.OnBatchEnd"/> when the socket has nothing more queued (or after 64).
    /// </summary>
    /// <remarks>
    /// The loop holds a reference on the socket's handle for as long as it runs: a Dispose on another thread then
    /// marks the socket closed but the descriptor stays open until the loop has seen <paramref name="stopped"/> (within
    /// one poll timeout) and let go. Without it, the descriptor number could be closed and reused by an unrelated new
    /// socket while the loop still polls it, and the loop would read someone else's datagrams.
    /// </remarks>
    public static void Run(Socket socket, UdpDatagramSocket owner, IDatagramReceiver receiver, Func<bool> stopped)
    {
        bool referenced = false;
        socket.SafeHandle.DangerousAddRef(ref referenced);
        try { Receive((int)socket.SafeHandle.DangerousGetHandle(), owner, receiver, stopped); }
        finally { if (referenced) socket.SafeHandle.DangerousRelease(); }
    }

    private static void Receive(int fd, UdpDatagramSocket owner, IDatagramReceiver receiver, Func<bool> stopped)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(65536, pinned: true);
        var name = GC.AllocateArray<byte>(128, pinned: true);
        var control = GC.AllocateArray<byte>(256, pinned: true);
        var header = GC.AllocateArray<byte>(56, pinned: true);
        var iov = GC.AllocateArray<byte>(16, pinned: true);
        var lastName = new byte[128];
        int lastNameLength = -1;
        EndPoint? lastEndPoint = null;
        int batch = 0;
        fixed (byte* pBuffer = buffer, pName = name, pControl = control, pHeader = header, pIov = iov)
        {
            *(long*)pIov = (long)pBuffer;
            *(long*)(pIov + 8) = buffer.Length;
            var poll = stackalloc byte[8];
            while (!stopped())
            {
                new Span<byte>(pHeader, 56).Clear();
                *(long*)pHeader = (long)pName;
                *(uint*)(pHeader + 8) = (uint)name.Length;
                *(long*)(pHeader + 16) = (long)pIov;
                *(long*)(pHeader + 24) = 1;
                *(long*)(pHeader + 32) = (long)pControl;
                *(long*)(pHeader + 40) = control.Length;
                long received = RecvMsg(fd, pHeader, MsgDontWait);
                if (received < 0)
                {
                    if (Marshal.GetLastPInvokeError() != EAgain && stopped()) return;
                    if (batch > 0)
                    {
                        batch = 0;
                        receiver.OnBatchEnd();
                    }
                    *(int*)poll = fd;
                    *(short*)(poll + 4) = PollIn;
                    *(short*)(poll + 6) = 0;
                    PollFd(poll, 1, 250);
                    continue;
                }
                int length = (int)received;
                int nameLength = (int)*(uint*)(pHeader + 8);
                int segment = SegmentSize(pControl, (int)*(long*)(pHeader + 40), length);
                if (nameLength != lastNameLength || !name.AsSpan(0, nameLength).SequenceEqual(lastName.AsSpan(0, nameLength)))
                {
                    lastEndPoint = ToEndPoint(name);
                    name.AsSpan(0, nameLength).CopyTo(lastName);
                    lastNameLength = nameLength;
                }
                if (lastEndPoint is null) continue;
                for (int offset = 0; offset < length; offset += segment)
                    owner.Deliver(receiver, buffer.AsSpan(offset, Math.Min(segment, length - offset)), lastEndPoint);
                batch += (length + segment - 1) / Math.Max(1, segment);
                if (batch >= MaxBatch)
                {
                    batch = 0;
                    receiver.OnBatchEnd();
                }
            }
        }
    }

    private static int SegmentSize(byte* control, int controlLength, int received)
    {
        int offset = 0;
        while (offset + 16 <= controlLength)
        {
            long cmsgLength = *(long*)(control + offset);
            if (cmsgLength < 16) break;
            int level = *(int*)(control + offset + 8), type = *(int*)(control + offset + 12);
            if (level == SolUdp && type == UdpGro && cmsgLength >= 20)
            {
                int size = *(int*)(control + offset + 16);
                return size > 0 ? size : received;
            }
            offset += (int)((cmsgLength + 7) & ~7L);
        }
        return Math.Max(1, received);
    }

    private static IPEndPoint? ToEndPoint(byte[] name)
    {
        int family = BitConverter.ToUInt16(name, 0);
        int port = name[2] << 8 | name[3];
        return family switch
        {
            2 => new IPEndPoint(new IPAddress(name.AsSpan(4, 4)), port),
            10 => new IPEndPoint(new IPAddress(name.AsSpan(8, 16)), port),
            _ => null,
        };
    }

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int PollFd(byte* fds, nuint count, int timeoutMs);

    [LibraryImport("libc", EntryPoint = "recvmsg", SetLastError = true)]
    private static partial long RecvMsg(int fd, byte* message, int flags);
}

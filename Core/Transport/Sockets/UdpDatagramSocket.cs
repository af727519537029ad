// IDatagramSocket over a real UDP socket: a receive thread with a reused SocketAddress, SendTo with optional UDP GSO.
using System.Net;
using System.Net.Sockets;

namespace P2PChat.Core.Transport.Sockets;

/// <summary>
/// Receives on a dedicated thread with <c>ReceiveFrom(Span, SocketFlags, SocketAddress)</c> into one reused buffer and
/// address (no allocation per datagram; the sender's <see cref="EndPoint"/> object is cached). Sends with
/// <c>SendTo(ReadOnlySpan, SocketFlags, SocketAddress)</c> using a cached address per destination. Socket buffers are
/// set to 4 MB. Network errors on send are swallowed (UDP is best effort; the transport retransmits).
/// With a segment size given and Linux UDP GSO available (UDP_SEGMENT, option 103 at level SOL_UDP = 17),
/// consecutive same-size datagrams to one destination are coalesced, up to <see cref="MaxSegments"/> and 64 KiB, and
/// handed to the kernel in one <c>sendto</c> at <see cref="Flush"/> (the kernel cuts them back into datagrams; a
/// shorter one may end a batch). The segment size follows the traffic: a datagram of at least the initial size that
/// starts a batch sets it (one <c>setsockopt</c>, only when it changes), so packets grown by path MTU discovery are
/// coalesced too. If a GSO send fails (other than for size), GSO is switched off for good and the batch re-sent
/// datagram by datagram.
/// On Linux the socket sends with IP_PMTUDISC_PROBE (IPv4 and IPv6): the don't-fragment bit is set and the kernel's own
/// path MTU estimate is ignored, so a probe larger than the path is lost (or fails locally with EMSGSIZE, which counts
/// as lost) instead of being fragmented, as DPLPMTUD (RFC 8899 §3) requires.
/// When GSO is requested, receiving also tries UDP GRO (<see cref="UdpGroReceiver"/>), else one datagram per call.
/// Threads: sends may come from any thread (the peer's shared link socket is sent on by check sessions, transports,
/// STUN and path monitors at once), so the send path (the address cache and the GSO batch) runs under one lock. A
/// receiver that throws loses only that datagram: the receive loop carries on, counts it and reports the first one
/// (<see cref="ReceiverFaulted"/>), so one bug in one handler never leaves the socket deaf for everyone.
/// </summary>
public sealed class UdpDatagramSocket : IDatagramSocket
{
    private const int BufferBytes = 4 << 20;
    private const int SolUdp = 17;
    private const int UdpSegment = 103;
    private const int MaxSegments = 48;
    /// <summary>A GSO send is one UDP datagram to the kernel: at most 65507 bytes of payload on IPv4.</summary>
    private const int MaxBatchBytes = 65507;
    private const int SolIp = 0, IpMtuDiscover = 10, SolIpv6 = 41, Ipv6MtuDiscover = 23, PmtuDiscProbe = 3;
    private readonly int _minSegmentSize;
    private readonly Socket _socket;
    private readonly Dictionary<EndPoint, SocketAddress> _sendAddresses = [];
    private int _segmentSize;
    private readonly byte[] _batch = [];
    private int _batchLength;
    private int _batchCount;
    private SocketAddress? _batchAddress;
    private bool _gso;
    private Thread? _receiveThread;
    private volatile bool _disposed;
    private readonly Lock _sendGate = new();
    private long _receiverFaults;

    /// <summary>Wraps an already bound UDP socket (for instance the hole-punched one) and takes ownership of it.</summary>
    /// <param name="gsoSegmentSize">The transport's packet size to enable UDP GSO with, or 0 for plain sends.</param>
    public UdpDatagramSocket(Socket socket, int gsoSegmentSize = 0)
    {
        if (socket.SocketType != SocketType.Dgram) throw new ArgumentException("a datagram socket is required", nameof(socket));
        _socket = socket;
        TrySetBuffers(socket);
        TrySetProbeMode(socket);
        if (gsoSegmentSize > 0 && OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable("P2PCHAT_NO_GSO") != "1")
        {
            try
            {
                socket.SetRawSocketOption(SolUdp, UdpSegment, BitConverter.GetBytes(gsoSegmentSize));
                _gso = true;
                _segmentSize = _minSegmentSize = gsoSegmentSize;
                _batch = new byte[MaxBatchBytes];
            }
            catch (SocketException) { }
        }
    }

    /// <summary>Whether sends are being coalesced with UDP GSO.</summary>
    public bool GsoEnabled => _gso;

    public static UdpDatagramSocket Bind(IPEndPoint local, int gsoSegmentSize = 0)
    {
        var socket = new Socket(local.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(local);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new UdpDatagramSocket(socket, gsoSegmentSize);
    }

    public EndPoint LocalEndPoint => _socket.LocalEndPoint!;

    /// <summary>Whether receives use UDP GRO (several datagrams per system call); decided at <see cref="Start"/>.</summary>
    public bool GroEnabled { get; private set; }

    public void Start(IDatagramReceiver receiver)
    {
        GroEnabled = _segmentSize > 0 && UdpGroReceiver.TryEnable(_socket);
        ThreadStart loop = GroEnabled ? () => UdpGroReceiver.Run(_socket, this, receiver, () => _disposed) : () => ReceiveLoop(receiver);
        _receiveThread = new Thread(() => RunUntilClosed(loop)) { IsBackground = true, Name = "udp-receive " + LocalEndPoint };
        _receiveThread.Start();
    }

    /// <summary>What ended the receive loop other than a close, if anything (null while running or after a clean stop).</summary>
    internal Exception? ReceiveFault { get; private set; }

    /// <summary>
    /// Runs a receive loop on its own thread. The socket may be closed under it at any moment (Dispose on another
    /// thread): whatever the loop was doing then fails with ObjectDisposedException or a SocketException, which only
    /// means "stop". Nothing may escape a raw thread: an unhandled exception there would end the whole process.
    /// </summary>
    private void RunUntilClosed(ThreadStart loop)
    {
        try { loop(); }
        catch (Exception e) when (_disposed && e is ObjectDisposedException or SocketException) { }
        catch (Exception e) { ReceiveFault = e; }
    }

    public void Send(ReadOnlySpan<byte> datagram, EndPoint remote)
    {
        if (_disposed) return;
        lock (_sendGate) SendLocked(datagram, remote);
    }

    private void SendLocked(ReadOnlySpan<byte> datagram, EndPoint remote)
    {
        var address = AddressOf(remote);
        if (!_gso)
        {
            SendPlain(datagram, address);
            return;
        }
        if (_batchCount > 0 && (!ReferenceEquals(address, _batchAddress) || _batchLength % _segmentSize != 0 || _batchCount == MaxSegments
                || datagram.Length > _segmentSize || _batchLength + datagram.Length > MaxBatchBytes))
            FlushLocked();
        if (_batchCount == 0 && datagram.Length != _segmentSize && datagram.Length >= _minSegmentSize && datagram.Length <= MaxBatchBytes / 2)
            SetSegmentSize(datagram.Length);
        if (datagram.Length > _segmentSize || !_gso)
        {
            SendPlain(datagram, address);
            return;
        }
        datagram.CopyTo(_batch.AsSpan(_batchLength));
        _batchLength += datagram.Length;
        _batchCount++;
        _batchAddress = address;
    }

    public void Flush()
    {
        lock (_sendGate) FlushLocked();
    }

    private void FlushLocked()
    {
        if (_batchCount == 0) return;
        var batch = _batch.AsSpan(0, _batchLength);
        var address = _batchAddress!;
        _batchCount = _batchLength = 0;
        try
        {
            _socket.SendTo(batch, SocketFlags.None, address);
        }
        catch (SocketException e) when (batch.Length > _segmentSize && e.SocketErrorCode != SocketError.MessageSize)
        {
            _gso = false; // e.g. EIO without checksum offload on the route: fall back to plain sends
            try { _socket.SetRawSocketOption(SolUdp, UdpSegment, BitConverter.GetBytes(0)); } catch (SocketException) { }
            for (int offset = 0; offset < batch.Length; offset += _segmentSize)
                SendPlain(batch.Slice(offset, Math.Min(_segmentSize, batch.Length - offset)), address);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
    }

    private void SetSegmentSize(int size)
    {
        try
        {
            _socket.SetRawSocketOption(SolUdp, UdpSegment, BitConverter.GetBytes(size));
            _segmentSize = size;
        }
        catch (SocketException)
        {
            _gso = false;
        }
    }

    /// <summary>Don't fragment, and don't let the kernel's path MTU cache shrink what we send (IP_PMTUDISC_PROBE).</summary>
    private static void TrySetProbeMode(Socket socket)
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            if (socket.AddressFamily == AddressFamily.InterNetwork) socket.SetRawSocketOption(SolIp, IpMtuDiscover, BitConverter.GetBytes(PmtuDiscProbe));
            else if (socket.AddressFamily == AddressFamily.InterNetworkV6)
            {
                socket.SetRawSocketOption(SolIpv6, Ipv6MtuDiscover, BitConverter.GetBytes(PmtuDiscProbe));
                if (!socket.DualMode) return;
                socket.SetRawSocketOption(SolIp, IpMtuDiscover, BitConverter.GetBytes(PmtuDiscProbe));
            }
        }
        catch (SocketException) { }
    }

    private SocketAddress AddressOf(EndPoint remote)
    {
        if (!_sendAddresses.TryGetValue(remote, out var address))
        {
            if (_sendAddresses.Count > 1024) _sendAddresses.Clear();
            address = remote.Serialize();
            _sendAddresses[remote] = address;
        }
        return address;
    }

    private void SendPlain(ReadOnlySpan<byte> datagram, SocketAddress address)
    {
        try
        {
            _socket.SendTo(datagram, SocketFlags.None, address);
        }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
    }

    private void ReceiveLoop(IDatagramReceiver receiver)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(65536, pinned: true);
        var address = new SocketAddress(_socket.AddressFamily);
        SocketAddress? lastAddress = null;
        EndPoint? lastEndPoint = null;
        int batch = 0;
        var template = _socket.AddressFamily == AddressFamily.InterNetworkV6 ? new IPEndPoint(IPAddress.IPv6Any, 0) : new IPEndPoint(IPAddress.Any, 0);
        while (!_disposed)
        {
            int length;
            try
            {
                length = _socket.ReceiveFrom(buffer, SocketFlags.None, address);
            }
            catch (SocketException) when (!_disposed) { continue; } // e.g. ICMP port unreachable reported on a later receive
            catch (Exception) { return; }
            if (lastAddress is null || !address.Equals(lastAddress))
            {
                lastEndPoint = template.Create(address);
                lastAddress = new SocketAddress(address.Family, address.Size);
                address.Buffer.CopyTo(lastAddress.Buffer);
            }
            Deliver(receiver, buffer.AsSpan(0, length), lastEndPoint!);
            if (++batch >= MaxBatch || !MoreQueued())
            {
                batch = 0;
                receiver.OnBatchEnd();
            }
        }
    }

    private const int MaxBatch = 64;

    /// <summary>Receiver exceptions so far (each lost one datagram; the loop carried on).</summary>
    public long ReceiverFaults => Interlocked.Read(ref _receiverFaults);

    /// <summary>Raised (on the receive thread) for the first receiver exception only: a bug to report, not a stream of them.</summary>
    public event Action<Exception>? ReceiverFaulted;

    /// <summary>Hands one datagram to the receiver; an exception from it costs that datagram, never the receive loop.</summary>
    internal void Deliver(IDatagramReceiver receiver, Span<byte> datagram, EndPoint remote)
    {
        try { receiver.OnDatagram(datagram, remote); }
        catch (Exception e) when (!_disposed && e is not OutOfMemoryException)
        {
            if (Interlocked.Increment(ref _receiverFaults) == 1) ReceiverFaulted?.Invoke(e);
        }
    }

    private bool MoreQueued()
    {
        try { return _socket.Available > 0; }
        catch (Exception e) when (e is SocketException or ObjectDisposedException) { return false; }
    }

    /// <summary>Asks for 4 MB socket buffers (the kernel may cap them at net.core.[rw]mem_max).</summary>
    private static void TrySetBuffers(Socket socket)
    {
        try
        {
            socket.ReceiveBufferSize = BufferBytes;
            socket.SendBufferSize = BufferBytes;
        }
        catch (SocketException) { }
    }

    public void Dispose()
    {
        _disposed = true;
        _socket.Dispose();
        if (_receiveThread is { } thread && thread != Thread.CurrentThread) thread.Join(TimeSpan.FromSeconds(5));
    }
}

// IDatagramSocket over a real UDP socket: a receive thread with a reused SocketAddress, synchronous SendTo.
using System.Net;
using System.Net.Sockets;

namespace P2PChat.Core.Transport;

/// <summary>
/// Receives on a dedicated thread with <c>ReceiveFrom(Span, SocketFlags, SocketAddress)</c> into one reused buffer and
/// address (no allocation per datagram; the sender's <see cref="EndPoint"/> object is cached). Sends with
/// <c>SendTo(ReadOnlySpan, SocketFlags, SocketAddress)</c> using a cached address per destination. Socket buffers are
/// set to 4 MB. Network errors on send are swallowed (UDP is best effort; the transport retransmits).
/// </summary>
public sealed class UdpDatagramSocket : IDatagramSocket
{
    private const int BufferBytes = 4 << 20;
    private readonly Socket _socket;
    private readonly Dictionary<EndPoint, SocketAddress> _sendAddresses = [];
    private Thread? _receiveThread;
    private volatile bool _disposed;

    /// <summary>Wraps an already bound UDP socket (for instance the hole-punched one) and takes ownership of it.</summary>
    public UdpDatagramSocket(Socket socket)
    {
        if (socket.SocketType != SocketType.Dgram) throw new ArgumentException("a datagram socket is required", nameof(socket));
        _socket = socket;
        TrySetBuffers(socket);
    }

    public static UdpDatagramSocket Bind(IPEndPoint local)
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
        return new UdpDatagramSocket(socket);
    }

    public EndPoint LocalEndPoint => _socket.LocalEndPoint!;

    public void Start(IDatagramReceiver receiver)
    {
        _receiveThread = new Thread(() => ReceiveLoop(receiver)) { IsBackground = true, Name = "udp-receive " + LocalEndPoint };
        _receiveThread.Start();
    }

    public void Send(ReadOnlySpan<byte> datagram, EndPoint remote)
    {
        if (_disposed) return;
        if (!_sendAddresses.TryGetValue(remote, out var address))
        {
            if (_sendAddresses.Count > 1024) _sendAddresses.Clear();
            address = remote.Serialize();
            _sendAddresses[remote] = address;
        }
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
            receiver.OnDatagram(buffer.AsSpan(0, length), lastEndPoint!);
        }
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

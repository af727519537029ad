// IDatagramSocket over TCP: a listener on the link port and connections from that same port, datagrams framed on them.
using System.Buffers;
using System.Net;
using System.Net.Sockets;
using P2PChat.Core.Transport.Sockets;

namespace P2PChat.Core.Links.Tcp;

/// <summary>
/// The TCP base of the link engine (RFC 6544's roles in one socket): it listens on the link port (a passive candidate)
/// and every outgoing connection is bound to that same port (SO_REUSEADDR + SO_REUSEPORT), so a connect is active
/// toward a listening peer and, when the peer connects to us at the same moment, the two SYNs cross and make one
/// connection by TCP simultaneous open (a simultaneous-open candidate: how TCP crosses two cone NATs, whose port-keeping
/// mappings let each SYN through the other's router once that side's own SYN has gone out). Whichever way a connection
/// came about, there is at most one per remote endpoint (the 4-tuple is unique), keyed by that endpoint.
/// <para><see cref="Send"/> writes a frame on the connection to the remote endpoint, or starts a connect to it and
/// holds a few datagrams until it is up (never blocks, never throws: datagram semantics). Received frames are handed
/// to the receiver one at a time as datagrams from the connection's remote endpoint, so
/// <see cref="Checks.CheckDemultiplexer"/>, the check engine and the transport run on it unchanged. A malformed
/// preamble or frame closes only its connection (<see cref="ConnectionClosed"/> says why). Budgets and timeouts:
/// <see cref="TcpLinkOptions"/>.</para>
/// </summary>
public sealed class TcpLinkSocket : IDatagramSocket
{
    private const int SolSocket = 1, SoReusePort = 15;
    private readonly Socket _listener;
    private readonly TimeProvider _time;
    private readonly TcpLinkOptions _options;
    private readonly IPEndPoint _local;
    private readonly Lock _gate = new();
    private readonly Lock _receiveGate = new();
    private readonly byte[] _scratch = new byte[TcpLinkFrameCodec.MaxDatagram];
    private readonly Dictionary<IPEndPoint, TcpLinkConnection> _connections = [];
    private readonly Dictionary<IPEndPoint, List<byte[]>> _connecting = [];
    private readonly Dictionary<IPEndPoint, long> _failedAt = [];
    private readonly CancellationTokenSource _stop = new();
    private IDatagramReceiver? _receiver;
    private ITimer? _sweep;
    private bool _disposed;
    private long _closedConnections;

    private TcpLinkSocket(Socket listener, TimeProvider time, TcpLinkOptions options)
    {
        _listener = listener;
        _time = time;
        _options = options;
        _local = (IPEndPoint)listener.LocalEndPoint!;
    }

    /// <summary>Binds and listens on <paramref name="local"/> (port 0: any free port; the peer passes its UDP link
    /// socket's port, so every published candidate names a TCP candidate too).</summary>
    /// <exception cref="SocketException">the port is taken for TCP.</exception>
    public static TcpLinkSocket Listen(IPEndPoint local, TimeProvider? time = null, TcpLinkOptions? options = null)
    {
        var listener = NewSocket(local.AddressFamily);
        try
        {
            listener.Bind(local);
            listener.Listen(64);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
        return new TcpLinkSocket(listener, time ?? TimeProvider.System, options ?? new TcpLinkOptions());
    }

    public EndPoint LocalEndPoint => _local;

    /// <summary>Called (on a network thread) when a connection closes: its remote endpoint and why.</summary>
    public Action<IPEndPoint, string>? ConnectionClosed { get; set; }

    /// <summary>Called (on a network thread) when a connection is up, however it came about: its remote endpoint.</summary>
    public Action<IPEndPoint>? ConnectionOpened { get; set; }

    /// <summary>Connections open now (not counting connects in progress).</summary>
    public int OpenConnections { get { lock (_gate) return _connections.Count; } }

    /// <summary>Connections closed since the start, for any reason.</summary>
    public long ClosedConnections => Interlocked.Read(ref _closedConnections);

    internal long Now => _time.GetTimestamp();

    public void Start(IDatagramReceiver receiver)
    {
        _receiver = receiver;
        var period = _options.PreambleTimeout < _options.IdleTimeout ? _options.PreambleTimeout : _options.IdleTimeout;
        _sweep = _time.CreateTimer(_ => Sweep(), null, period, period);
        _ = Task.Run(AcceptLoopAsync);
    }

    public void Send(ReadOnlySpan<byte> datagram, EndPoint remote)
    {
        if (remote is not IPEndPoint ip || datagram.Length is 0 or > TcpLinkFrameCodec.MaxDatagram) return;
        var key = Normal(ip);
        long now = Now;
        lock (_gate)
        {
            if (_disposed) return;
            if (_connections.TryGetValue(key, out var connection))
            {
                connection.Enqueue(datagram, now);
                return;
            }
            if (_connecting.TryGetValue(key, out var queued))
            {
                if (queued.Count < _options.MaxQueuedWhileConnecting) queued.Add(datagram.ToArray());
                return;
            }
            if (_connections.Count + _connecting.Count >= _options.MaxConnections) return;
            if (key.AddressFamily != _local.AddressFamily || key.Port == 0) return;
            if (_failedAt.TryGetValue(key, out var failed) && _time.GetElapsedTime(failed, now) < _options.RetryGap) return;
            _connecting[key] = [datagram.ToArray()];
        }
        _ = Task.Run(() => ConnectAsync(key));
    }

    private async Task ConnectAsync(IPEndPoint remote)
    {
        Socket? socket = null;
        try
        {
            socket = NewSocket(remote.AddressFamily);
            socket.Bind(new IPEndPoint(_local.Address, _local.Port));
            using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _stop.Token);
            await socket.ConnectAsync(remote, linked.Token).ConfigureAwait(false);
            Adopt(socket, remote);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            socket?.Dispose();
            lock (_gate)
            {
                // The peer's own connect may have reached our listener meanwhile (Adopt moved the queue there).
                if (_connecting.Remove(remote)) _failedAt[remote] = Now;
                if (_failedAt.Count > 4 * _options.MaxConnections) _failedAt.Clear();
            }
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try { socket = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException) { return; }
            catch (SocketException) { continue; }   // a connection reset before it was accepted
            if (socket.RemoteEndPoint is not IPEndPoint remote) { socket.Dispose(); continue; }
            bool full;
            var key = Normal(remote);
            lock (_gate)
                full = _connections.Count >= _options.MaxConnections
                    || _connections.Keys.Count(k => k.Address.Equals(key.Address)) >= _options.MaxConnectionsPerAddress;
            if (full) { Reset(socket); continue; }
            Adopt(socket, key);
        }
    }

    /// <summary>A connection is up (accepted, connected or simultaneously opened): it replaces any older one to the same
    /// endpoint, gets the datagrams queued while connecting, and starts.</summary>
    private void Adopt(Socket socket, IPEndPoint remote)
    {
        var connection = new TcpLinkConnection(socket, remote, this, _options.MaxQueuedBytes, Now);
        TcpLinkConnection? replaced;
        List<byte[]>? queued;
        lock (_gate)
        {
            if (_disposed) { Reset(socket); return; }
            _connections.Remove(remote, out replaced);
            _connections[remote] = connection;
            _connecting.Remove(remote, out queued);
            _failedAt.Remove(remote);
        }
        replaced?.Close("replaced by a new connection from the same endpoint");
        long now = Now;
        foreach (var datagram in queued ?? []) connection.Enqueue(datagram, now);
        connection.Start();
        ConnectionOpened?.Invoke(remote);
    }

    internal void Deliver(ReadOnlySequence<byte> datagram, IPEndPoint remote)
    {
        lock (_receiveGate)
        {
            if (_receiver is not { } receiver) return;
            var span = _scratch.AsSpan(0, (int)datagram.Length);
            datagram.CopyTo(span);
            // A fault in a handler above must not make this socket deaf (nor be blamed on the peer): count it, go on.
            try { receiver.OnDatagram(span, remote); }
            catch (Exception e) when (e is not OutOfMemoryException) { Interlocked.Increment(ref _receiverFaults); }
        }
    }

    internal void BatchEnd()
    {
        lock (_receiveGate)
        {
            try { _receiver?.OnBatchEnd(); }
            catch (Exception e) when (e is not OutOfMemoryException) { Interlocked.Increment(ref _receiverFaults); }
        }
    }

    /// <summary>Exceptions the receiver threw (swallowed so the connections keep delivering).</summary>
    public long ReceiverFaults => Interlocked.Read(ref _receiverFaults);
    private long _receiverFaults;

    internal void OnClosed(TcpLinkConnection connection, string reason)
    {
        lock (_gate)
            if (_connections.TryGetValue(connection.Remote, out var current) && current == connection) _connections.Remove(connection.Remote);
        Interlocked.Increment(ref _closedConnections);
        ConnectionClosed?.Invoke(connection.Remote, reason);
    }

    /// <summary>Closes connections whose peer never sent the preamble in time, and connections idle too long.</summary>
    private void Sweep()
    {
        long now = Now;
        List<(TcpLinkConnection, string)> expired = [];
        lock (_gate)
        {
            foreach (var c in _connections.Values)
            {
                if (!c.PreambleReceived && _time.GetElapsedTime(c.OpenedAt, now) >= _options.PreambleTimeout) expired.Add((c, "no preamble in time"));
                else if (_time.GetElapsedTime(c.LastActivity, now) >= _options.IdleTimeout) expired.Add((c, "idle"));
            }
        }
        foreach (var (c, why) in expired) c.Close(why);
    }

    private static Socket NewSocket(AddressFamily family)
    {
        var socket = new Socket(family, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (family == AddressFamily.InterNetworkV6) socket.DualMode = false;
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            // A connecting socket may share the listener's port only when both allow port reuse (Linux).
            if (OperatingSystem.IsLinux()) socket.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return socket;
    }

    private static void Reset(Socket socket)
    {
        try { socket.LingerState = new LingerOption(true, 0); }
        catch (SocketException) { }
        socket.Dispose();
    }

    private static IPEndPoint Normal(IPEndPoint e) => e.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(e.Address.MapToIPv4(), e.Port) : e;

    public void Dispose()
    {
        List<TcpLinkConnection> open;
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            open = [.. _connections.Values];
            _connecting.Clear();
        }
        _stop.Cancel();
        _sweep?.Dispose();
        _listener.Dispose();
        foreach (var c in open) c.Close("socket closed");
        _stop.Dispose();
    }
}

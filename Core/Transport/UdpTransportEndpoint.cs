// One datagram socket, many connections: demultiplexing by connection id, the server's stateless handshake, timers.
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using P2PChat.Core.Transport.Sockets;
using P2PChat.Core.Transport.Wire;

namespace P2PChat.Core.Transport;

/// <summary>
/// Owns a socket (any <see cref="IDatagramSocket"/>; a real or hole-punched UDP socket via <see cref="Over(Socket, TransportOptions?, TimeProvider?)"/>)
/// and every connection on it. Data packets go to the connection named by their destination id; unknown ids are
/// dropped silently. Server handshake: an Initial without a valid cookie is answered with a Retry carrying one
/// (59 bytes, for an Initial of at least 1200) and nothing is allocated; an Initial with a valid cookie creates the
/// connection and is answered with Accept (26 bytes); without <see cref="TransportOptions.ValidateAddresses"/> any Initial
/// does. One lock (<see cref="Gate"/>) guards the endpoint and all of
/// its connections; a single timer is armed at the earliest deadline of any connection.
/// </summary>
public sealed class UdpTransportEndpoint : IDatagramReceiver, IAsyncDisposable, IDisposable
{
    private readonly IDatagramSocket _socket;
    private readonly TransportOptions _options;
    private readonly Dictionary<ulong, TransportConnection> _connections = [];
    private readonly Dictionary<(EndPoint, ulong), TransportConnection> _byClientId = [];
    private readonly Queue<TransportConnection> _acceptQueue = new();
    private readonly AsyncSignal _accepted = new();
    private readonly AddressValidationCookies _cookies;
    private readonly ITimer _timer;
    /// <summary>Connections that received packets in the current burst; they send (ACKs, data) at the burst's end.</summary>
    private readonly List<TransportConnection> _receivedInBatch = [];
    private long _timerDeadline = long.MaxValue;
    private bool _disposed;

    public UdpTransportEndpoint(IDatagramSocket socket, TransportOptions? options = null, TimeProvider? time = null)
    {
        _socket = socket;
        _options = options ?? new TransportOptions();
        if (_options.KeepAliveInterval > TimeSpan.FromSeconds(25)) throw new ArgumentException("keepalive interval must be at most 25 s");
        if (_options.MaxPacketSize is < 1200 or > 65507) throw new ArgumentException("packet size must be within 1200..65507");
        var provider = time ?? TimeProvider.System;
        Clock = new MonotonicClock(provider);
        _cookies = new AddressValidationCookies(provider, _options.CookieLifetime);
        _timer = provider.CreateTimer(_ => OnTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        socket.Start(this);
    }

    /// <summary>Binds a new UDP socket (4 MB buffers, UDP GSO where available) at <paramref name="local"/>.</summary>
    public static UdpTransportEndpoint Bind(IPEndPoint local, TransportOptions? options = null, TimeProvider? time = null)
    {
        options ??= new TransportOptions();
        return new(UdpDatagramSocket.Bind(local, options.MaxPacketSize), options, time);
    }

    /// <summary>Runs over an existing bound UDP socket, e.g. the one NAT traversal punched; the endpoint takes ownership.</summary>
    public static UdpTransportEndpoint Over(Socket boundSocket, TransportOptions? options = null, TimeProvider? time = null)
    {
        options ??= new TransportOptions();
        return new(new UdpDatagramSocket(boundSocket, options.MaxPacketSize), options, time);
    }

    internal object Gate { get; } = new();
    internal MonotonicClock Clock { get; }
    /// <summary>Scratch space for building one packet; only used under <see cref="Gate"/>.</summary>
    internal byte[] PacketBuffer { get; } = new byte[65536];

    public EndPoint LocalEndPoint => _socket.LocalEndPoint;

    /// <summary>Connections that hold state (any state but Closed), for tests and diagnostics.</summary>
    public int ConnectionCount
    {
        get { lock (Gate) return _connections.Count; }
    }

    /// <summary>Opens a connection and waits for the handshake; fails with <see cref="TransportError.ConnectTimeout"/>.</summary>
    public async Task<TransportConnection> ConnectAsync(EndPoint remote, CancellationToken cancellationToken = default)
    {
        var connection = Connect(remote);
        try
        {
            await connection.Established.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            connection.Abort();
            throw;
        }
        return connection;
    }

    /// <summary>Starts a handshake and returns the connection at once (state Handshaking); streams may be written already.</summary>
    internal TransportConnection Connect(EndPoint remote)
    {
        lock (Gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            long now = Clock.NowMicros;
            var connection = new TransportConnection(this, _options, ConnectionRole.Client, remote, NewConnectionId(), now);
            _connections.Add(connection.LocalId, connection);
            connection.StartHandshake(now);
            return connection;
        }
    }

    public async ValueTask<TransportConnection> AcceptAsync(CancellationToken cancellationToken = default)
    {
        if (!_options.AcceptIncoming) throw new InvalidOperationException("this endpoint does not accept connections (TransportOptions.AcceptIncoming)");
        while (true)
        {
            Task wait;
            lock (Gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_acceptQueue.TryDequeue(out var connection)) return connection;
                wait = _accepted.WaitTask;
            }
            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    internal TransportConnection? TryAccept()
    {
        lock (Gate) return _acceptQueue.TryDequeue(out var connection) ? connection : null;
    }

    public void OnDatagram(Span<byte> datagram, EndPoint remote)
    {
        if (datagram.IsEmpty) return;
        bool ours;
        lock (Gate)
        {
            if (_disposed) return;
            ours = Dispatch(datagram, remote, Clock.NowMicros);
        }
        if (!ours) _options.ForeignDatagramHandler?.Invoke(datagram, remote);
    }

    /// <summary>Routes a datagram; false when it is not transport traffic (unknown type, unknown id, unparsable handshake).</summary>
    private bool Dispatch(Span<byte> datagram, EndPoint remote, long now)
    {
        switch ((PacketType)datagram[0])
        {
            case PacketType.Data:
                if (!DataPacketLayout.TryReadDestination(datagram, out ulong id) || !_connections.TryGetValue(id, out var target)) return false;
                target.OnDataPacket(datagram, now);
                if (!target.InReceiveBatch)
                {
                    target.InReceiveBatch = true;
                    _receivedInBatch.Add(target);
                }
                return true;
            case PacketType.Initial:
                if (!HandshakeCodec.TryParse(datagram, out var initial)) return false;
                if (_options.AcceptIncoming) OnInitial(initial, remote, now);
                return true;
            case PacketType.Retry or PacketType.Accept:
                if (!HandshakeCodec.TryParse(datagram, out var reply)) return false;
                if (_connections.TryGetValue(reply.ClientId, out var client) && client.Role == ConnectionRole.Client && client.RemoteEndPoint.Equals(remote))
                {
                    if (reply.Type == PacketType.Retry) client.OnRetry(reply.Token, now);
                    else client.OnAccept(reply.ServerId, now);
                }
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// Sends a datagram that is not transport traffic through the endpoint's socket (e.g. NAT keepalives or STUN from
    /// the traversal layer, which handed its socket over). Replies arrive through <see cref="TransportOptions.ForeignDatagramHandler"/>.
    /// </summary>
    public void SendForeignDatagram(ReadOnlySpan<byte> datagram, EndPoint remote)
    {
        lock (Gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Transmit(datagram, remote);
            Flushed();
        }
    }

    public void OnBatchEnd()
    {
        lock (Gate)
        {
            foreach (var connection in _receivedInBatch)
            {
                connection.InReceiveBatch = false;
                connection.FlushLocked();
            }
            _receivedInBatch.Clear();
        }
    }

    private void OnInitial(HandshakePacket initial, EndPoint remote, long now)
    {
        var key = (remote, initial.ClientId);
        if (_byClientId.TryGetValue(key, out var existing))
        {
            SendAccept(existing, remote);
            return;
        }
        if (_options.ValidateAddresses && !_cookies.IsValid(initial.Token, remote, initial.ClientId))
        {
            Span<byte> token = stackalloc byte[AddressValidationCookies.TokenLength];
            _cookies.Create(remote, initial.ClientId, token);
            int length = HandshakeCodec.WriteRetry(PacketBuffer, initial.ClientId, token);
            Transmit(PacketBuffer.AsSpan(0, length), remote);
            Flushed();
            return;
        }
        if (_acceptQueue.Count >= _options.AcceptBacklog) return;
        var connection = new TransportConnection(this, _options, ConnectionRole.Server, remote, NewConnectionId(), now);
        connection.SetRemoteId(initial.ClientId);
        _connections.Add(connection.LocalId, connection);
        _byClientId.Add(key, connection);
        SendAccept(connection, remote);
        _acceptQueue.Enqueue(connection);
        _accepted.Set();
        connection.FlushLocked();
    }

    private void SendAccept(TransportConnection connection, EndPoint remote)
    {
        int length = HandshakeCodec.WriteAccept(PacketBuffer, connection.RemoteId, connection.LocalId);
        Transmit(PacketBuffer.AsSpan(0, length), remote);
        Flushed();
    }

    private ulong NewConnectionId()
    {
        Span<byte> bytes = stackalloc byte[8];
        while (true)
        {
            RandomNumberGenerator.Fill(bytes);
            ulong id = BitConverter.ToUInt64(bytes);
            if (id != 0 && !_connections.ContainsKey(id)) return id;
        }
    }

    internal void Transmit(ReadOnlySpan<byte> datagram, EndPoint remote) => _socket.Send(datagram, remote);

    internal void Flushed() => _socket.Flush();

    /// <summary>Makes sure the timer fires no later than <paramref name="deadlineMicros"/>.</summary>
    internal void ArmTimer(long deadlineMicros)
    {
        if (deadlineMicros >= _timerDeadline || _disposed) return;
        _timerDeadline = deadlineMicros;
        long delay = Math.Max(0, deadlineMicros - Clock.NowMicros);
        _timer.Change(TimeSpan.FromTicks(delay * 10), Timeout.InfiniteTimeSpan);
    }

    private void OnTimer()
    {
        lock (Gate)
        {
            if (_disposed) return;
            _timerDeadline = long.MaxValue;
            long now = Clock.NowMicros;
            long next = long.MaxValue;
            foreach (var connection in _connections.Values.ToArray())
            {
                if (connection.NextDeadline() <= now)
                {
                    connection.OnTimer(now);
                    connection.FlushLocked();
                }
                next = Math.Min(next, connection.NextDeadline());
            }
            ArmTimer(next);
        }
    }

    internal void Forget(TransportConnection connection)
    {
        _connections.Remove(connection.LocalId);
        if (connection.Role == ConnectionRole.Server) _byClientId.Remove((connection.RemoteEndPoint, connection.RemoteId));
    }

    public void Dispose()
    {
        lock (Gate)
        {
            if (_disposed) return;
            foreach (var connection in _connections.Values.ToArray())
            {
                connection.Abort();
                connection.Terminate(TransportError.EndpointDisposed);
            }
            _disposed = true;
            _accepted.Set();
        }
        _timer.Dispose();
        _socket.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}

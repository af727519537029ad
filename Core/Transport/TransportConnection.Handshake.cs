// The client half of the handshake: sending (and re-sending) Initial, taking the Retry cookie, finishing on Accept.
using P2PChat.Core.Transport.Wire;

namespace P2PChat.Core.Transport;

/// <summary>
/// Client: Initial (no token) → Retry(token) → Initial(token) → Accept(server id) → Established.
/// The Initial is re-sent after 500 ms, doubling up to 2 s, until the connect timeout.
/// </summary>
public sealed partial class TransportConnection
{
    private byte[] _retryToken = [];
    private long _connectDeadlineMicros;
    private long _handshakeRetransmitMicros;
    private long _handshakeInterval;

    /// <summary>Starts the handshake (client side).</summary>
    internal void StartHandshake(long now)
    {
        _connectDeadlineMicros = now + MonotonicClock.Micros(_options.ConnectTimeout);
        _handshakeInterval = MonotonicClock.Micros(_options.InitialHandshakeRetransmit);
        SendInitial(now);
    }

    private void SendInitial(long now)
    {
        var buffer = _endpoint.PacketBuffer;
        int length = HandshakeCodec.WriteInitial(buffer, LocalId, _retryToken);
        _endpoint.Transmit(buffer.AsSpan(0, length), RemoteEndPoint);
        _endpoint.Flushed();
        _handshakeRetransmitMicros = now + _handshakeInterval;
        _handshakeInterval = Math.Min(_handshakeInterval * 2, MonotonicClock.Micros(_options.MaxHandshakeRetransmit));
        _endpoint.ArmTimer(NextDeadline());
    }

    private void OnHandshakeTimer(long now)
    {
        if (now >= _connectDeadlineMicros) Terminate(TransportError.ConnectTimeout);
        else if (now >= _handshakeRetransmitMicros) SendInitial(now);
    }

    internal void OnRetry(ReadOnlySpan<byte> token, long now)
    {
        if (State != ConnectionState.Handshaking || token.SequenceEqual(_retryToken)) return;
        _retryToken = token.ToArray();
        _handshakeInterval = MonotonicClock.Micros(_options.InitialHandshakeRetransmit);
        SendInitial(now);
    }

    internal void OnAccept(ulong serverId, long now)
    {
        if (State != ConnectionState.Handshaking) return;
        RemoteId = serverId;
        State = ConnectionState.Established;
        _lastReceivedMicros = _lastSentMicros = now;
        OnEstablished();
        foreach (var stream in _streams.Values)
            if (stream.WriteOffset > 0 || stream.FinWritten) ScheduleStream(stream);
        FlushLocked();
    }

    /// <summary>Server side: the peer's connection id is learned from its Initial.</summary>
    internal void SetRemoteId(ulong remoteId) => RemoteId = remoteId;
}

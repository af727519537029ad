// Path MTU discovery of a connection: sending probe packets, feeding their fate to PathMtuDiscovery, applying the confirmed size.
using P2PChat.Core.Bytes;
using System.Net;
using System.Net.Sockets;
using P2PChat.Core.Transport.Recovery;
using P2PChat.Core.Transport.Wire;

namespace P2PChat.Core.Transport;

/// <summary>
/// A probe is an ordinary Data packet (next packet number, same protection) whose plaintext is one PING frame followed
/// by PADDING (zero bytes) up to the probe size, so the peer needs nothing new to acknowledge it. It counts towards
/// bytes in flight and is only sent when the congestion window has room for it, but its loss is no congestion signal
/// (the controller never hears of it) and is not counted in <see cref="TransportStatistics.PacketsLost"/>. When a size
/// is confirmed, new packets (and retransmitted stream data, which is re-framed) are built up to it and the congestion
/// controller and pacer count segments of that size.
/// </summary>
public sealed partial class TransportConnection
{
    private readonly PathMtuDiscovery _pmtu;

    /// <summary>The largest UDP payload this connection sends now: the base size until larger probes are acknowledged.</summary>
    public int PathMtu
    {
        get { lock (Gate) return _pmtu.CurrentSize; }
    }

    public PathMtuState PathMtuState
    {
        get { lock (Gate) return _pmtu.State; }
    }

    private int PacketSize => _pmtu.CurrentSize;

    /// <summary>
    /// The path under this connection changed (the link layer moved it, e.g. from the relay to a direct path): packets
    /// fall back to the base size at once and the search starts again, up to <paramref name="maxProbedPacketSize"/>
    /// (null: the option's value or the address family's default; at or below the base size: no probing, e.g. on a relay).
    /// A probe still in flight is then ignored whatever its fate.
    /// </summary>
    public void RestartPathMtuDiscovery(int? maxProbedPacketSize = null)
    {
        lock (Gate)
        {
            int max = maxProbedPacketSize ?? NewPathMtuDiscovery(_options with { PathMtuDiscovery = true }, RemoteEndPoint).MaxSize;
            _pmtu.Restart(Math.Min(max, 65507));
            ApplyPathMtu();
            FlushLocked();
        }
    }

    /// <summary>Largest size probed towards a loopback address by default (the loopback MTU is 64 KiB; see below).</summary>
    internal const int LoopbackMaxProbedPacketSize = 16384;

    /// <summary>
    /// The search's maximum when <see cref="TransportOptions.MaxProbedPacketSize"/> is not set: a 1500-byte Ethernet MTU
    /// minus IP and UDP headers (1472 IPv4, 1452 IPv6), or <see cref="LoopbackMaxProbedPacketSize"/> towards a loopback
    /// address (127.0.0.0/8, ::1, IPv4-mapped loopback). Loopback carries 64 KiB datagrams; 16 KiB keeps the per-packet
    /// costs (system calls, protection, acknowledgements, wake-ups) a tenth of 1472-byte packets' while four still fit
    /// one UDP GSO send. 16 KiB and 32 KiB packets overflowed the socket buffers in the transport benchmark before the
    /// receive side had GRO and the transport its queue-delay signal; since then 16 KiB cut a 1 GiB file transfer's
    /// CPU by about 8 % against 8 KiB, 32 KiB by little more (docs/benchmarks.md, Files, session 11). Not above 16384:
    /// a contact link's TCP path frames datagrams of at most that size (Links.Tcp.TcpLinkFrameCodec.MaxDatagram).
    /// </summary>
    public static int DefaultMaxProbedPacketSize(EndPoint remote) => remote switch
    {
        IPEndPoint { Address: var a } when IPAddress.IsLoopback(a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a) => LoopbackMaxProbedPacketSize,
        _ when remote.AddressFamily == AddressFamily.InterNetworkV6 => 1452,
        _ => 1472,
    };

    private static PathMtuDiscovery NewPathMtuDiscovery(TransportOptions options, EndPoint remote)
    {
        int max = !options.PathMtuDiscovery ? options.MaxPacketSize
            : options.MaxProbedPacketSize ?? DefaultMaxProbedPacketSize(remote);
        return new PathMtuDiscovery(options.MaxPacketSize, Math.Min(max, 65507), MonotonicClock.Micros(options.PathMtuRaiseInterval));
    }

    /// <summary>Sends a probe if one is due and the window has room; before regular packets in a flush.</summary>
    private void TrySendPathMtuProbe(byte[] buffer, long now)
    {
        if (State != ConnectionState.Established || _closeRequested) return;
        int size = _pmtu.ProbeSizeDue(now);
        if (size == 0 || (_bytesInFlight > 0 && _bytesInFlight + size > _cc.WindowBytes)) return;
        int plaintextLength = size - DataPacketLayout.HeaderLength - _protector.Overhead;
        var plaintext = buffer.AsSpan(DataPacketLayout.HeaderLength + _protector.PlaintextOffset, plaintextLength);
        var writer = new SpanWriter(plaintext);
        long number = _sent.NextPacketNumber;
        writer.WriteUInt64((ulong)number);
        FrameWriter.WritePing(ref writer);
        plaintext[writer.Position..].Clear(); // PADDING frames
        _packetRanges.Clear();
        _packetWindowUpdates.Clear();
        int length = Commit(buffer, plaintextLength, number, now, ackEliciting: true, wroteAck: false, carriedMaxData: false, pathMtuProbe: true);
        _pmtu.OnProbeSent(length);
        Statistics.PathMtuProbesSent++;
        _endpoint.Transmit(buffer.AsSpan(0, length), RemoteEndPoint);
    }

    private void OnPathMtuProbeAcked(SentPacket probe, long now)
    {
        _pmtu.OnProbeAcked(probe.Size, now);
        ApplyPathMtu();
    }

    private void OnPathMtuProbeLost(SentPacket probe)
    {
        Statistics.PathMtuProbesLost++;
        _pmtu.OnProbeLost(probe.Size, _endpoint.Clock.NowMicros);
        ApplyPathMtu();
    }

    /// <summary>After any PMTUD event: makes the congestion controller, the pacer and the statistics follow the size.</summary>
    private void ApplyPathMtu()
    {
        int size = _pmtu.CurrentSize;
        if (Statistics.PathMtu == size) return;
        Statistics.PathMtu = size;
        Statistics.PathMtuBlackHoles = _pmtu.BlackHoles;
        _cc.SetMaxDatagramSize(size);
        _pacer.MaxDatagramSize = size;
    }
}

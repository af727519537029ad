// What the sender remembers about one sent Data packet until it is acknowledged or declared lost.
namespace P2PChat.Core.Transport.Recovery;

/// <summary>A range of stream bytes (and possibly the FIN) carried by a packet, to be re-queued if the packet is lost.</summary>
internal readonly record struct SentStreamRange(long StreamId, long Offset, int Length, bool Fin);

/// <summary>State machine: Outstanding → Acked, or Outstanding → Lost (its data re-queued; a later ack is ignored).</summary>
internal enum SentPacketState : byte { Outstanding, Acked, Lost }

internal sealed class SentPacket
{
    public long PacketNumber { get; init; }
    public long TimeSentMicros { get; init; }
    public int Size { get; init; }
    /// <summary>Ack-eliciting packets count toward bytes in flight and the congestion window.</summary>
    public bool AckEliciting { get; init; }
    /// <summary>True when the window was full (or nearly) as this packet left: only then do its acks grow the window.</summary>
    public bool WindowLimited { get; init; }
    public SentStreamRange[] StreamRanges { get; init; } = [];
    public bool CarriedMaxData { get; init; }
    /// <summary>A path MTU probe (PING + PADDING): its loss is reported to path MTU discovery, not to congestion control.</summary>
    public bool IsPathMtuProbe { get; init; }
    public long[] MaxStreamDataIds { get; init; } = [];
    public SentPacketState State { get; set; }
}

// One decoded frame: a view over the packet bytes, valid only while the packet buffer is.
namespace P2PChat.Core.Transport.Wire;

/// <summary>
/// Which fields are meaningful depends on <see cref="Type"/>: stream frames use StreamId/Offset/Data/Fin,
/// MAX_* use Value (and StreamId), DATAGRAM uses Data, CLOSE uses Value (error code) and Data (reason),
/// ACK uses Value (largest), AckDelayMicros and <see cref="AckRanges"/>.
/// </summary>
internal readonly ref struct PacketFrame
{
    public FrameType Type { get; init; }
    public long StreamId { get; init; }
    public long Offset { get; init; }
    public long Value { get; init; }
    public bool Fin { get; init; }
    public ReadOnlySpan<byte> Data { get; init; }
    public long AckDelayMicros { get; init; }
    public AckRangeReader AckRanges { get; init; }

    public bool IsAckEliciting => Type is not (FrameType.Padding or FrameType.Ack or FrameType.Close);
}

// Frame type codes carried inside the protected payload of a Data packet.
namespace P2PChat.Core.Transport.Wire;

/// <summary>
/// Frame layouts (every field a varint unless said otherwise):
/// <code>
/// 0x00 PADDING          (no fields; one byte)
/// 0x01 PING             (no fields; asks for an acknowledgement)
/// 0x02 ACK              largest acknowledged | ack delay (µs) | extra range count R | first range length F
///                       | R × (gap G, length L)
///                       first range = [largest − F, largest]; each next range: its largest = previous smallest − G − 2,
///                       its smallest = its largest − L (the same encoding as QUIC, RFC 9000 §19.3.1)
/// 0x03 STREAM           stream id | offset | length N | N data bytes
/// 0x04 STREAM_FIN       as STREAM, and offset + N is the final size of the stream
/// 0x05 MAX_DATA         maximum total stream bytes the peer may send on the connection
/// 0x06 MAX_STREAM_DATA  stream id | maximum offset the peer may send on that stream
/// 0x07 DATAGRAM         length N | N bytes (unreliable, never retransmitted)
/// 0x08 CLOSE            error code (0 = graceful) | reason length N | N bytes of UTF-8
/// </code>
/// Every frame except PADDING, ACK and CLOSE is ack-eliciting.
/// </summary>
internal enum FrameType : byte
{
    Padding = 0x00,
    Ping = 0x01,
    Ack = 0x02,
    Stream = 0x03,
    StreamFin = 0x04,
    MaxData = 0x05,
    MaxStreamData = 0x06,
    Datagram = 0x07,
    Close = 0x08,
}

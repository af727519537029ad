// The transport settings of a contact link's endpoint: its stream buffers sized for a peer's memory budget.
using P2PChat.Core.Transport;

namespace P2PChat.Peer.Links;

/// <summary>
/// A link's streams carry chats and files. The transport's defaults (an 8 MiB send buffer and receive window per
/// stream, 16 MiB per connection) are sized for a bulk receiver; in a peer they were the largest part of what a file
/// transfer added to peak memory (the receive ring doubles up to the window, each step a new large-object array; the
/// send buffer's 64 KiB pieces stay in the shared pool). <see cref="StreamWindow"/> bytes per stream still keep a
/// path busy up to window / RTT (2 MiB: about 200 MB/s at 10 ms, 50 MB/s at 40 ms, well above what home uplinks
/// carry), and on a fast local path the queue-delay signal keeps the congestion window below it anyway. Measured A/B
/// (8, 4, 2 MiB) in docs/benchmarks.md (Files, session 8): 2 MiB took 8-19 MB off the receiver's peak, 9 off the sender's.
/// </summary>
public static class LinkTransportOptions
{
    /// <summary>Per-stream send buffer and receive window. Environment override (for A/B benchmarks only):
    /// P2PCHAT_LINK_STREAM_WINDOW_KIB.</summary>
    public static readonly int StreamWindow =
        int.TryParse(Environment.GetEnvironmentVariable("P2PCHAT_LINK_STREAM_WINDOW_KIB"), out var kib) && kib >= 64 ? kib << 10 : 2 << 20;

    /// <summary>The options of one link attempt's endpoint (<paramref name="acceptIncoming"/>: the controlled side).</summary>
    public static TransportOptions For(bool acceptIncoming) => new()
    {
        AcceptIncoming = acceptIncoming,
        ValidateAddresses = false,
        StreamSendBuffer = StreamWindow,
        StreamReceiveWindow = StreamWindow,
        ConnectionReceiveWindow = 2 * StreamWindow,
    };
}

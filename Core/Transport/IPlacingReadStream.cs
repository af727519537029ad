// A stream whose reads can wait for many bytes at once, taking them straight from arriving packets into the reader's buffer.
namespace P2PChat.Core.Transport;

/// <summary>
/// For bulk readers (a file transfer's chunks): <see cref="ReadAtLeastAsync"/> hands the transport the reader's buffer
/// while it waits, so bytes that arrive in order are copied once, from the opened packet into that buffer, instead of
/// into the stream's receive buffer and from there into the reader's; and the reader is woken once, when
/// <c>minimum</c> bytes are there, not once per packet. The UDP transport's streams implement it
/// (<see cref="Streams.TransportStream"/>); a caller that gets a plain <see cref="IReliableStream"/> loops
/// <see cref="IReliableStream.ReadAsync"/> instead.
/// </summary>
public interface IPlacingReadStream : IReliableStream
{
    /// <summary>Reads until at least <paramref name="minimum"/> (1 to the buffer's length) bytes are in
    /// <paramref name="buffer"/>; fewer only when the peer completed its writes and everything was read (0 when nothing
    /// was left). Cancelled, it stops placing bytes in <paramref name="buffer"/> before it throws (those already placed
    /// are lost with the read), so the caller may reuse the buffer at once.</summary>
    ValueTask<int> ReadAtLeastAsync(Memory<byte> buffer, int minimum, CancellationToken cancellationToken = default);

    /// <summary>Bytes placed so far in the buffer of the <see cref="ReadAtLeastAsync"/> under way (0 when none): a
    /// watchdog sees a slow link move before a large read returns. May be read from any thread.</summary>
    int PlacedInPendingRead { get; }
}

// A stream whose writer may fill the stream's own send buffer in place, instead of handing over bytes to be copied in.
namespace P2PChat.Core.Transport;

/// <summary>
/// For bulk writers (a file transfer's sender reads chunks from the disk): <see cref="GetWriteBufferAsync"/> lends a
/// piece of the stream's send buffer, the writer fills it (e.g. a file read lands there) and
/// <see cref="CommitWrite"/> queues what it filled, which saves copying every byte from the writer's buffer into the
/// send buffer. The UDP transport's streams implement it (<see cref="Streams.TransportStream"/>); a writer that gets a
/// plain <see cref="IReliableStream"/> uses <see cref="IReliableStream.WriteAsync"/>.
/// One writer at a time: a lent piece is committed (with 0 bytes when nothing was filled) before the next write of
/// any kind, and is not touched after that.
/// </summary>
public interface IInPlaceWriteStream : IReliableStream
{
    /// <summary>Waits while the send buffer is full, then lends its free part: 1 to <paramref name="maxLength"/> bytes
    /// (less when the buffer's current block or its limit ends sooner).</summary>
    /// <exception cref="TransportException">the connection cannot send any more.</exception>
    /// <exception cref="InvalidOperationException">writes were completed on this stream.</exception>
    ValueTask<Memory<byte>> GetWriteBufferAsync(int maxLength, CancellationToken cancellationToken = default);

    /// <summary>Queues the first <paramref name="count"/> bytes of the piece lent by the last
    /// <see cref="GetWriteBufferAsync"/> (0 gives it back unused).</summary>
    void CommitWrite(int count);
}

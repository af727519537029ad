// Reading a whole fixed-size piece from a reliable stream: the one loop framed readers (links, files, rooms) share.
namespace P2PChat.Core.Transport;

public static class ReliableStreamReads
{
    /// <summary>Reads until <paramref name="destination"/> is full or the peer ended its writes; returns how many bytes
    /// were read (less than its length only at the end of the stream, 0 if it ended before the first byte).</summary>
    public static async ValueTask<int> ReadFullyAsync(this IReliableStream stream, Memory<byte> destination, CancellationToken cancellationToken)
    {
        var done = 0;
        while (done < destination.Length)
        {
            var n = await stream.ReadAsync(destination[done..], cancellationToken).ConfigureAwait(false);
            if (n == 0) break;
            done += n;
        }
        return done;
    }
}

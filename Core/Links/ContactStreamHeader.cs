// The one-byte header of every stream on a contact link: which payload kind (feature) the stream belongs to.
using P2PChat.Core.Payloads;
using P2PChat.Core.Transport;

namespace P2PChat.Core.Links;

/// <summary>
/// <code>
/// stream on a contact link:  kind u8 (PayloadKind) | the feature's own bytes ...
/// </code>
/// The opener writes the kind at once, so the peer's transport surfaces the stream straight away.
/// </summary>
public static class ContactStreamHeader
{
    /// <summary>Opens a stream on <paramref name="connection"/> and queues its kind byte.</summary>
    public static IReliableStream Open(IReliableConnection connection, PayloadKind kind)
    {
        var stream = connection.OpenStream();
        // The first write of a fresh stream only queues (the send buffer is empty), so it completes synchronously.
        var write = stream.WriteAsync(new[] { (byte)kind });
        if (!write.IsCompletedSuccessfully) write.AsTask().GetAwaiter().GetResult();
        return stream;
    }

    /// <summary>Reads the kind byte of an accepted stream; null if the stream ended before it.</summary>
    public static async ValueTask<PayloadKind?> ReadKindAsync(IReliableStream stream, CancellationToken cancellationToken)
    {
        var one = new byte[1];
        return await stream.ReadAsync(one, cancellationToken).ConfigureAwait(false) == 0 ? null : (PayloadKind)one[0];
    }
}

// One control message and its answer on a fresh FileControl stream: how offers, answers, cancels and dones travel.
using P2PChat.Core.Links;
using P2PChat.Core.Payloads;
using P2PChat.Core.Transport;

namespace P2PChat.Core.Files.Sessions;

/// <summary>
/// <code>
/// opener                          peer
/// [kind 0x20] message  -------->
///                      <--------  answer (Ack, or for an Offer the receiver's current state) and end
/// </code>
/// A message counts as delivered only once its answer was read, so callers keep it owed (and send it again on the next
/// link) until then; every control message is idempotent for that reason.
/// </summary>
public static class ControlExchange
{
    /// <exception cref="TransportException">the link went away before the answer came.</exception>
    public static async Task<TransferMessage> SendAsync(IContactLink link, TransferMessage message, CancellationToken ct)
    {
        using var stream = new TransferStream(link.OpenStream(PayloadKind.FileControl));
        await stream.WriteAsync(message, ct).ConfigureAwait(false);
        stream.Stream.CompleteWrites();
        return await stream.ReadAsync(ct).ConfigureAwait(false) ?? throw new TransportException(TransportError.AbortedByPeer, "the peer ended the control stream without answering");
    }

    /// <summary>Reads one message from an accepted control stream and writes what <paramref name="answer"/> makes of it.</summary>
    public static async Task ServeAsync(IReliableStream raw, Func<TransferMessage, TransferMessage> answer, CancellationToken ct)
    {
        using var stream = new TransferStream(raw);
        var message = await stream.ReadAsync(ct).ConfigureAwait(false);
        if (message is null) return;
        await stream.WriteAsync(answer(message), ct).ConfigureAwait(false);
        raw.CompleteWrites();
    }
}

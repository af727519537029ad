// Message requests that carry keys or many parts: BUNDLE (a contact's published keys) and MSG_MULTI fan-out.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Peer.Events;

namespace P2PChat.Peer.Server;

/// <summary>
/// The bytes are opaque here: the peer session encrypts them (Peer/Routing, Peer/Session) and the connection only
/// carries them, as MSG (<see cref="SendMessageAsync"/>) or MSG_MULTI (<see cref="SendMultiAsync"/>).
/// </summary>
public sealed partial class ServerConnection
{
    /// <summary>Control messages to many users, as few MSG_MULTI frames as the limits allow (refusals come back per part, as error events).</summary>
    public async Task SendMultiAsync(IReadOnlyList<MsgPart> parts, MessageFlags flags, CancellationToken ct)
    {
        foreach (var batch in MultiMessageBatches.Split(parts))
        {
            var requestId = _pending.AddMessage(PendingRequests.ControlMessage);
            await SendAsync(new MsgMultiSend(batch, requestId, flags), ct).ConfigureAwait(false);
        }
    }

    /// <summary>BUNDLE: the contact's identity, signed prekey and one one-time prekey (consumed on the server).</summary>
    public async Task<Bundle> FetchBundleAsync(Tag to, CancellationToken ct)
    {
        var name = Directory.NameOf(to);
        var request = _pending.Add(Opcode.Bundle, "msg", to.ToString(), wantsReply: true, silent: true);
        await SendAsync(new BundleRequest(to), ct).ConfigureAwait(false);
        return await AwaitAnswerAsync(request, _options.ReplyTimeout, $"BUNDLE {name}", ct).ConfigureAwait(false) switch
        {
            Bundle b when b.User == to => b,
            Status => throw new CommandFailedException(PeerErrorCode.E2eUnavailable,
                $"{name} has published no end-to-end keys; the message was not sent (PMs are only sent encrypted)"),
            null => throw new CommandFailedException(PeerErrorCode.NotConnected, "the connection to the server was lost"),
            var other => throw new CommandFailedException(PeerErrorCode.ProtocolError, $"unexpected answer to BUNDLE: {other.Opcode}"),
        };
    }
}

// MSG and OFFLINE_ACK: live delivery to users and channels, durable storage for offline users, acknowledgement.
using Microsoft.Extensions.Logging;
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Rendezvous.Sessions;

namespace P2PChat.Rendezvous.Commands;

public sealed class MessageCommands(ServerContext ctx)
{
    private readonly PrivateDelivery _private = new(ctx);

    /// <summary>
    /// To a user: delivered now, or committed to the store (then MSG_ACK with the offline flag). Ignored senders
    /// get the usual MSG_ACK and nothing is delivered. To a channel: every other online member. Every STATUS
    /// answering a MSG carries the requestId as value and the destination as subject.
    /// </summary>
    public async Task SendAsync(Session s, MsgSend m, CancellationToken ct)
    {
        if (m.Data.Length > ctx.Options.MaxMessageBytes)
        {
            await Refuse(s, m, StatusCode.InvalidField, $"data: at most {ctx.Options.MaxMessageBytes} bytes", ct);
            return;
        }
        if (m.Data.Length == 0)
        {
            await Refuse(s, m, StatusCode.NotEnoughData, "empty message", ct);
            return;
        }
        var sentAt = ctx.Now.ToUnixTimeMilliseconds();
        var flags = m.Flags & MessageFlags.Encrypted;
        // Channel text in clear reaches every member's terminal: escape sequences (colours, OSC 52 clipboard writes),
        // BEL and NUL are refused here. Encrypted channel messages are ciphertext; the peers sanitise what they show.
        if (m.To.IsChannel && flags == MessageFlags.None && Validation.FieldRules.ChannelText(m.Data.Span) is { } problem)
        {
            await Refuse(s, m, StatusCode.InvalidField, problem, ct);
            return;
        }
        if (m.To.IsUser) await ToUserAsync(s, m, sentAt, flags, ct);
        else if (m.To.IsChannel) await ToChannelAsync(s, m, sentAt, flags, ct);
        else await Refuse(s, m, StatusCode.InvalidField, "to: a user or a channel", ct);
    }

    /// <summary>
    /// OFFLINE_ACK x: the client received every stored message this connection sent up to and including x (in the
    /// order they were sent, which is not id order). Exactly those are deleted; an id this connection never sent is
    /// ignored, so a message still on its way (or queued after x) is never deleted by an acknowledgement.
    /// </summary>
    public async Task AcknowledgeAsync(Session s, OfflineAck a, CancellationToken ct)
    {
        if (a.UpToMessageId is 0 or > long.MaxValue) return;
        var received = s.TakeAcknowledgedOffline((long)a.UpToMessageId);
        if (received.Count == 0)
        {
            ctx.Log.LogDebug("session {Id}: OFFLINE_ACK {MessageId} names no stored message it was sent; ignored", s.Id, a.UpToMessageId);
            return;
        }
        await ctx.Store.DeleteOfflineMessagesAsync(s.UserTag.Value, received, ct);
    }

    private async Task ToUserAsync(Session s, MsgSend m, long sentAt, MessageFlags flags, CancellationToken ct)
    {
        var outcome = await _private.DeliverAsync(s, m.To, m.Data, sentAt, flags, ct);
        if (outcome.Delivered) await s.SendAsync(new MsgAck(m.RequestId, outcome.MessageId, sentAt, outcome.AckFlags), ct);
        else await Refuse(s, m, outcome.Code, outcome.Text, ct);
    }

    private async Task ToChannelAsync(Session s, MsgSend m, long sentAt, MessageFlags flags, CancellationToken ct)
    {
        var id = ctx.MessageIds.Next();
        var deliver = new MsgDeliver(s.UserTag, m.Data, m.To, sentAt, flags, id);
        if (m.To == Tag.General)
        {
            ctx.Sessions.Broadcast(_ => deliver, except: s);
        }
        else
        {
            // From memory after the first message: the live path does not touch the store.
            if (await ctx.Channels.GetAsync(m.To.Value, ct) is not { } roster)
            {
                await Refuse(s, m, StatusCode.UnknownChannel, "no such channel", ct);
                return;
            }
            if (!roster.IsMember(s.UserTag.Value))
            {
                await Refuse(s, m, StatusCode.NotMember, "you are not in that channel", ct);
                return;
            }
            var members = roster.Members;
            ctx.Sessions.SendTo(members.Select(x => x.UserTag).Where(t => t != s.UserTag.Value), _ => deliver);
        }
        await s.SendAsync(new MsgAck(m.RequestId, id, sentAt, MessageFlags.None), ct);
    }

    private static ValueTask Refuse(Session s, MsgSend m, StatusCode code, string text, CancellationToken ct) =>
        s.ReplyAsync(code, Opcode.Msg, ct, subject: m.To, value: m.RequestId, text: text);
}

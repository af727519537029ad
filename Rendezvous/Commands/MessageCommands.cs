// MSG and OFFLINE_ACK: live delivery to users and channels, durable storage for offline users, acknowledgement.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Rendezvous.Sessions;
using P2PChat.Rendezvous.Storage;

namespace P2PChat.Rendezvous.Commands;

public sealed class MessageCommands(ServerContext ctx)
{
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
        if (m.To.IsUser) await ToUserAsync(s, m, sentAt, flags, ct);
        else if (m.To.IsChannel) await ToChannelAsync(s, m, sentAt, flags, ct);
        else await Refuse(s, m, StatusCode.InvalidField, "to: a user or a channel", ct);
    }

    /// <summary>OFFLINE_ACK: the client stored the offline messages up to this id; they may go.</summary>
    public async Task AcknowledgeAsync(Session s, OfflineAck a, CancellationToken ct)
    {
        if (a.UpToMessageId is 0 or > long.MaxValue) return;
        await ctx.Store.AcknowledgeOfflineMessagesAsync(s.UserTag.Value, (long)a.UpToMessageId, ct);
    }

    private async Task ToUserAsync(Session s, MsgSend m, long sentAt, MessageFlags flags, CancellationToken ct)
    {
        var to = m.To.Value;
        var recipient = ctx.Hub.Find(to);
        if (recipient is null && await ctx.Store.FindAccountByTagAsync(to, ct) is null)
        {
            await Refuse(s, m, StatusCode.UnknownUser, "no such user", ct);
            return;
        }
        if (await ctx.Store.IsIgnoringAsync(to, s.UserTag.Value, ct))
        {
            // Dropped silently: the sender sees exactly what it would have seen otherwise.
            await s.SendAsync(new MsgAck(m.RequestId, ctx.MessageIds.Next(), sentAt, recipient is null ? MessageFlags.Offline : 0), ct);
            return;
        }
        var id = ctx.MessageIds.Next();
        if (recipient is not null && recipient.Deliver(new MsgDeliver(s.UserTag, m.Data, m.To, sentAt, flags, id)))
        {
            await s.SendAsync(new MsgAck(m.RequestId, id, sentAt, MessageFlags.None), ct);
            return;
        }
        var stored = await ctx.Store.AppendOfflineMessageAsync(
            new NewOfflineMessage(s.UserTag.Value, to, to, DateTimeOffset.FromUnixTimeMilliseconds(sentAt), (byte)flags, m.Data.ToArray()), ct);
        switch (stored.Outcome)
        {
            case AppendOutcome.Stored:
                await s.SendAsync(new MsgAck(m.RequestId, (ulong)stored.Id!.Value, sentAt, MessageFlags.Offline), ct);
                break;
            case AppendOutcome.RecipientQueueFull:
                await Refuse(s, m, StatusCode.QueueFull, "the recipient's offline queue is full", ct);
                break;
            default:
                await Refuse(s, m, StatusCode.UnknownUser, "no such user", ct);
                break;
        }
    }

    private async Task ToChannelAsync(Session s, MsgSend m, long sentAt, MessageFlags flags, CancellationToken ct)
    {
        var id = ctx.MessageIds.Next();
        var deliver = new MsgDeliver(s.UserTag, m.Data, m.To, sentAt, flags, id);
        if (m.To == Tag.General)
        {
            ctx.Hub.Broadcast(_ => deliver, except: s);
        }
        else
        {
            if (await ctx.Store.FindChannelByTagAsync(m.To.Value, ct) is null)
            {
                await Refuse(s, m, StatusCode.UnknownChannel, "no such channel", ct);
                return;
            }
            var members = await ctx.Store.ListChannelMembersAsync(m.To.Value, ct);
            if (!members.Any(x => x.UserTag == s.UserTag.Value))
            {
                await Refuse(s, m, StatusCode.NotMember, "you are not in that channel", ct);
                return;
            }
            ctx.Hub.SendTo(members.Select(x => x.UserTag).Where(t => t != s.UserTag.Value), _ => deliver);
        }
        await s.SendAsync(new MsgAck(m.RequestId, id, sentAt, MessageFlags.None), ct);
    }

    private static ValueTask Refuse(Session s, MsgSend m, StatusCode code, string text, CancellationToken ct) =>
        s.ReplyAsync(code, Opcode.Msg, ct, subject: m.To, value: m.RequestId, text: text);
}

// Delivers one PM to one user (live, or committed to the offline store), shared by MSG and MSG_MULTI.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Rendezvous.Sessions;
using P2PChat.Rendezvous.Storage;

namespace P2PChat.Rendezvous.Commands;

/// <summary>What became of one PM: Ok (18) with the id and flags to acknowledge, or the refusal's code and text.</summary>
public sealed record PrivateOutcome(StatusCode Code, MessageFlags AckFlags, ulong MessageId, string Text)
{
    public bool Delivered => Code == StatusCode.Ok;
}

/// <summary>
/// Validated data to a user: delivered now, or committed to the store (outcome flag Offline) and, if the recipient
/// is online by then, also sent to it at once as a stored message. A recipient who ignores the sender gets nothing
/// and the sender sees the usual outcome. Unknown user: 3; full offline queue: 34.
/// </summary>
public sealed class PrivateDelivery(ServerContext ctx)
{
    /// <summary>Checks the data against the limits; null when it may be sent.</summary>
    public PrivateOutcome? Validate(Tag to, ReadOnlyMemory<byte> data)
    {
        if (!to.IsUser) return Refused(StatusCode.InvalidField, "to: a user");
        if (data.Length > ctx.Options.MaxMessageBytes) return Refused(StatusCode.InvalidField, $"data: at most {ctx.Options.MaxMessageBytes} bytes");
        if (data.Length == 0) return Refused(StatusCode.NotEnoughData, "empty message");
        return null;
    }

    public async Task<PrivateOutcome> DeliverAsync(Session s, Tag to, ReadOnlyMemory<byte> data, long sentAt, MessageFlags flags, CancellationToken ct)
    {
        var recipient = ctx.Sessions.Find(to.Value);
        if (recipient is null && await ctx.Store.FindAccountByTagAsync(to.Value, ct) is null)
            return Refused(StatusCode.UnknownUser, "no such user");
        // An online recipient's ignore list is in memory: a live PM never touches the store.
        if (await ctx.Ignores.IsIgnoringAsync(to.Value, s.UserTag.Value, ct))
        {
            // Dropped silently: the sender sees exactly what it would have seen otherwise.
            return new(StatusCode.Ok, recipient is null ? MessageFlags.Offline : MessageFlags.None, ctx.MessageIds.Next(), "");
        }
        var id = ctx.MessageIds.Next();
        if (recipient is not null && recipient.Deliver(new MsgDeliver(s.UserTag, data, to, sentAt, flags, id)))
            return new(StatusCode.Ok, MessageFlags.None, id, "");
        var stored = await ctx.Store.AppendOfflineMessageAsync(
            new NewOfflineMessage(s.UserTag.Value, to.Value, to.Value, DateTimeOffset.FromUnixTimeMilliseconds(sentAt), (byte)flags, data.ToArray()), ct);
        if (stored.Outcome == AppendOutcome.Stored)
        {
            // The recipient may have signed in between the lookup and the commit, after its sign-in burst read the
            // store: it gets the stored message now, offline-flagged with its stored id (a duplicate of the burst's
            // copy if the burst read it after all; the client drops offline ids it already has).
            var storedId = (ulong)stored.Id!.Value;
            ctx.Sessions.Find(to.Value)?.Deliver(new MsgDeliver(s.UserTag, data, to, sentAt, flags | MessageFlags.Offline, storedId));
            return new(StatusCode.Ok, MessageFlags.Offline, storedId, "");
        }
        return stored.Outcome switch
        {
            AppendOutcome.RecipientQueueFull => Refused(StatusCode.QueueFull, "the recipient's offline queue is full"),
            _ => Refused(StatusCode.UnknownUser, "no such user"),
        };
    }

    private static PrivateOutcome Refused(StatusCode code, string text) => new(code, MessageFlags.None, 0, text);
}

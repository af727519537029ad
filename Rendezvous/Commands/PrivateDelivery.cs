// Delivers PMs to users (live, or committed to the offline store in one transaction), shared by MSG and MSG_MULTI.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Rendezvous.Sessions;
using P2PChat.Rendezvous.Storage;

namespace P2PChat.Rendezvous.Commands;

/// <summary>What became of one PM: Ok (18) with the id and flags to acknowledge, or the refusal's code and text. A value
/// (as are the tasks returning it, when they complete at once): a live PM allocates no outcome.</summary>
public readonly record struct PrivateOutcome(StatusCode Code, MessageFlags AckFlags, ulong MessageId, string Text)
{
    public bool Delivered => Code == StatusCode.Ok;
}

/// <summary>
/// Validated data to a user, in two steps: <see cref="TryDeliverLiveAsync"/> settles what needs no storage
/// (unknown user 3, ignored: silently Ok, recipient online: delivered now); <see cref="StoreAsync"/> commits the
/// rest for offline recipients in <em>one</em> transaction (so a MSG_MULTI is stored whole or not at all) and, if a
/// recipient is online by then, also sends it the stored message at once. Before storing, each PM takes a slot of
/// the sender's offline budget (25 when spent); the store's caps answer 34 (the recipient's queue, or this sender's
/// share of it, or what non-friends may fill, is full).
/// </summary>
public sealed class PrivateDelivery(ServerContext ctx)
{
    /// <summary>A PM that needs storing: to whom and what.</summary>
    public readonly record struct Pending(Tag To, ReadOnlyMemory<byte> Data);

    /// <summary>Checks the data against the limits; null when it may be sent.</summary>
    public PrivateOutcome? Validate(Tag to, ReadOnlyMemory<byte> data)
    {
        if (!to.IsUser) return Refused(StatusCode.InvalidField, "to: a user");
        if (data.Length > ctx.Options.MaxMessageBytes) return Refused(StatusCode.InvalidField, $"data: at most {ctx.Options.MaxMessageBytes} bytes");
        if (data.Length == 0) return Refused(StatusCode.NotEnoughData, "empty message");
        return null;
    }

    /// <summary>One PM, start to end (MSG).</summary>
    public async ValueTask<PrivateOutcome> DeliverAsync(Session s, Tag to, ReadOnlyMemory<byte> data, long sentAt, MessageFlags flags, CancellationToken ct) =>
        await TryDeliverLiveAsync(s, to, data, sentAt, flags, ct)
        ?? (await StoreAsync(s, [new Pending(to, data)], sentAt, flags, ct))[0];

    /// <summary>The outcome when no storage is needed; null when the recipient is offline and the PM must be stored.</summary>
    public async ValueTask<PrivateOutcome?> TryDeliverLiveAsync(Session s, Tag to, ReadOnlyMemory<byte> data, long sentAt, MessageFlags flags, CancellationToken ct)
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
        return null;
    }

    /// <summary>Stores <paramref name="pending"/> for offline recipients in one transaction; outcomes in the same order.</summary>
    public async Task<IReadOnlyList<PrivateOutcome>> StoreAsync(Session s, IReadOnlyList<Pending> pending, long sentAt, MessageFlags flags, CancellationToken ct)
    {
        var sender = s.UserTag.Value;
        var outcomes = new PrivateOutcome[pending.Count];
        var granted = ctx.OfflineStores.TryTake(sender, pending.Count);
        for (var i = granted; i < pending.Count; i++)
            outcomes[i] = Refused(StatusCode.Flooding, $"too many messages stored for offline users; at most {ctx.Options.MaxOfflineStoresPerMinute} a minute");
        if (granted == 0) return outcomes;
        var at = DateTimeOffset.FromUnixTimeMilliseconds(sentAt);
        var batch = pending.Take(granted)
            .Select(p => new NewOfflineMessage(sender, p.To.Value, p.To.Value, at, (byte)flags, p.Data.ToArray())).ToList();
        var results = batch.Count == 1
            ? [await ctx.Store.AppendOfflineMessageAsync(batch[0], ct)]
            : await ctx.Store.AppendOfflineMessagesAsync(batch, ct);
        var notStored = 0;
        for (var i = 0; i < granted; i++)
        {
            var (to, data) = (pending[i].To, pending[i].Data);
            if (results[i] is { Outcome: AppendOutcome.Stored, Id: { } storedId })
            {
                // The recipient may have signed in between the lookup and the commit, after its sign-in burst read the
                // store: it gets the stored message now, offline-flagged with its stored id (a duplicate of the burst's
                // copy if the burst read it after all; the client drops offline ids it already has).
                ctx.Sessions.Find(to.Value)?.Deliver(new MsgDeliver(s.UserTag, data, to, sentAt, flags | MessageFlags.Offline, (ulong)storedId));
                outcomes[i] = new(StatusCode.Ok, MessageFlags.Offline, (ulong)storedId, "");
                continue;
            }
            notStored++;
            outcomes[i] = results[i].Outcome switch
            {
                AppendOutcome.RecipientQueueFull => Refused(StatusCode.QueueFull, "the recipient's offline queue is full"),
                AppendOutcome.SenderQuotaFull => Refused(StatusCode.QueueFull,
                    $"you already have {ctx.Options.MaxOfflineMessagesPerSender} messages waiting for this user"),
                _ => Refused(StatusCode.UnknownUser, "no such user"),
            };
        }
        ctx.OfflineStores.Return(sender, notStored);
        return outcomes;
    }

    private static PrivateOutcome Refused(StatusCode code, string text) => new(code, MessageFlags.None, 0, text);
}

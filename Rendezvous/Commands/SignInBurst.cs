// The frames a client receives right after a successful IAM, in the order docs/protocol.md gives.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Rendezvous.Sessions;
using P2PChat.Rendezvous.Storage;

namespace P2PChat.Rendezvous.Commands;

/// <summary>
/// 1 IAM; 2 ADD self, every connected user, every other user mentioned below, the general channel and each of
/// the user's channels; 3 UPD per channel (general: users online), UPD own tag (friends); 4 STATUS 11 per pending
/// friend request, ADD channel + INV per pending invite, PREKEYS_LOW when few one-time prekeys are left;
/// 5 STATUS 14 + the offline MSGs, oldest first; 6 STATUS 2. The senders of offline messages are among the users
/// described in 2, so that the client can name them (and check their identity keys) before it decrypts.
/// </summary>
public sealed class SignInBurst(ServerContext ctx)
{
    private const int OfflinePage = 256;

    public async Task SendAsync(Session s, Account account, CancellationToken ct)
    {
        var me = account.Tag;
        var user = s.User!;
        var store = ctx.Store;
        var friends = s.Friends();
        var channels = await store.ListChannelsOfUserAsync(me, ct);
        var members = new Dictionary<uint, IReadOnlyList<ChannelMember>>();
        foreach (var c in channels) members[c.Tag] = await store.ListChannelMembersAsync(c.Tag, ct);
        var requests = await store.ListIncomingFriendRequestsAsync(me, ct);
        var invites = await store.ListInvitesForUserAsync(me, ct);
        var online = ctx.Hub.Online().Where(o => o != s && o.User is not null).ToList();
        var offline = await FetchOfflineMessagesAsync(me, ct);

        // 1
        await s.SendAsync(new IamOk(user.Tag, user.IsAdmin, ctx.Now.ToUnixTimeMilliseconds(), user.Nickname), ct);
        // 2
        await s.SendAsync(Describe.User(user, s), ct);
        var described = new HashSet<uint> { me };
        foreach (var o in online)
            if (described.Add(o.UserTag.Value)) await s.SendAsync(Describe.User(o.User!, s), ct);
        var mentioned = friends
            .Concat(members.Values.SelectMany(m => m.Select(x => x.UserTag)))
            .Concat(requests.Select(r => r.From))
            .Concat(invites.Select(i => i.InviterTag))
            .Concat(offline.Select(m => m.FromTag));
        foreach (var tag in mentioned)
        {
            if (!described.Add(tag)) continue;
            if (ctx.Hub.Find(tag)?.User is { } live) await s.SendAsync(Describe.User(live, s), ct);
            else if (await store.FindAccountByTagAsync(tag, ct) is { } a) await s.SendAsync(Describe.Offline(a, ctx.IsAdmin(a), s), ct);
        }
        await s.SendAsync(Describe.General, ct);
        foreach (var c in channels)
            await s.SendAsync(Describe.Channel(c, members[c.Tag].Any(m => m.UserTag == me && m.IsOperator)), ct);
        // 3
        await s.SendAsync(new Upd(Tag.General, [user.Tag, .. online.Select(o => o.UserTag)], []), ct);
        foreach (var c in channels) await s.SendAsync(ChannelUpd(c.Tag, members[c.Tag]), ct);
        await s.SendAsync(new Upd(user.Tag, [.. friends.Select(f => new Tag(f))], []), ct);
        // 4
        foreach (var r in requests)
            await s.SendAsync(new Status(StatusCode.FriendRequest, 0, new Tag(r.From), 0, "wants to be your friend"), ct);
        foreach (var i in invites)
        {
            if (await store.FindChannelByTagAsync(i.ChannelTag, ct) is not { } c) continue;
            await s.SendAsync(Describe.Channel(c, false), ct);
            await s.SendAsync(new InvNotify(new Tag(c.Tag), new Tag(i.InviterTag)), ct);
        }
        await new KeyCommands(ctx).WarnIfLowAsync(s, ct);
        // 5
        await SendOfflineMessagesAsync(s, me, offline, ct);
        // 6
        await s.SendAsync(new Status(StatusCode.AuthOk, Opcode.Iam, user.Tag, 0, "signed in"), ct);
    }

    public static Upd ChannelUpd(uint channel, IReadOnlyList<ChannelMember> members) =>
        new(new Tag(channel), [.. members.Select(m => new Tag(m.UserTag))], [.. members.Where(m => m.IsOperator).Select(m => new Tag(m.UserTag))]);

    /// <summary>Everything waiting now, oldest first; they are deleted only when the client sends OFFLINE_ACK.</summary>
    private async Task<List<OfflineMessage>> FetchOfflineMessagesAsync(uint me, CancellationToken ct)
    {
        var waiting = new List<OfflineMessage>();
        long after = 0;
        while (true)
        {
            var page = await ctx.Store.FetchOfflineMessagesAsync(me, after, OfflinePage, ct);
            waiting.AddRange(page);
            if (page.Count < OfflinePage) break;
            after = page[^1].Id;
        }
        return waiting;
    }

    private async Task SendOfflineMessagesAsync(Session s, uint me, List<OfflineMessage> waiting, CancellationToken ct)
    {
        if (waiting.Count == 0) return;
        await s.SendAsync(new Status(StatusCode.OfflineMessages, 0, new Tag(me), (uint)waiting.Count, "messages while you were away"), ct);
        foreach (var m in waiting)
            await s.SendAsync(new MsgDeliver(new Tag(m.FromTag), m.Payload, new Tag(m.ConversationTag), m.SentAt.ToUnixTimeMilliseconds(),
                (MessageFlags)m.Flags | MessageFlags.Offline, (ulong)m.Id), ct);
    }
}

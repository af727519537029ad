// The frames a client receives right after a successful IAM, in the order docs/protocol.md gives.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Rendezvous.Sessions;
using P2PChat.Rendezvous.Storage;

namespace P2PChat.Rendezvous.Commands;

/// <summary>
/// Answers IAM or RESUME (<c>re</c>, the refOpcode of STATUS 37 and 2): 1 IAM; 2 user cards (ROSTER frames, as many cards per frame as fit; a lone card is a plain ADD): self, every
/// connected user unless the general channel is paged, every other user mentioned below; then ADD for the general
/// channel and each of the user's channels; 3 UPD per channel (general: users online; MEMBERS parts when a list does
/// not fit one frame) or, when the general channel is paged, STATUS 37 instead of its list; UPD own tag (friends);
/// 4 STATUS 11 per pending friend request, ADD channel + INV per pending invite, PREKEYS_LOW when few one-time prekeys
/// are left; 5 STATUS 14 + the offline MSGs, oldest first; 6 STATUS 2. The senders of offline messages are among the
/// users described in 2, so that the client can name them (and check their identity keys) before it decrypts.
/// Friends and co-members of the user's other channels are always described, paged or not.
/// </summary>
public sealed class SignInBurst(ServerContext ctx)
{
    private const int OfflinePage = 256;

    public async Task SendAsync(Session s, Account account, Opcode re, CancellationToken ct)
    {
        var me = account.Tag;
        var user = s.User!;
        var store = ctx.Store;
        var max = ctx.Options.MaxFrameSize;
        var friends = s.Friends();
        var channels = await store.ListChannelsOfUserAsync(me, ct);
        var members = new Dictionary<uint, IReadOnlyList<ChannelMember>>();
        foreach (var c in channels)
        {
            members[c.Tag] = (await ctx.Channels.GetAsync(c.Tag, ct))?.Members ?? [];
            s.SetChannel(c.Tag, true);
        }
        var requests = await store.ListIncomingFriendRequestsAsync(me, ct);
        var invites = await store.ListInvitesForUserAsync(me, ct);
        var paged = ctx.Roster.GeneralIsPaged;
        var online = paged ? [] : ctx.Sessions.Online().Where(o => o != s && o.User is not null).ToList();
        var offline = await FetchOfflineMessagesAsync(me, ct);

        // 1
        await s.SendAsync(new IamOk(user.Tag, user.IsAdmin, ctx.Now.ToUnixTimeMilliseconds(), user.Nickname), ct);
        // 2
        var cards = new List<AddUser> { Describe.User(user, s) };
        var described = new HashSet<uint> { me };
        foreach (var o in online)
            if (o.User is { } u && described.Add(u.Tag.Value)) cards.Add(Describe.User(u, s));
        var mentioned = friends
            .Concat(members.Values.SelectMany(m => m.Select(x => x.UserTag)))
            .Concat(requests.Select(r => r.From))
            .Concat(invites.Select(i => i.InviterTag))
            .Concat(offline.Select(m => m.FromTag));
        foreach (var tag in mentioned)
        {
            if (!described.Add(tag)) continue;
            if (ctx.Sessions.Find(tag)?.User is { } live) cards.Add(Describe.User(live, s));
            else if (await store.FindAccountByTagAsync(tag, ct) is { } a) cards.Add(Describe.Offline(a, ctx.IsAdmin(a), s));
        }
        await s.SendAsync(RosterBatcher.Cards(cards, max), ct);
        await s.SendAsync(Describe.General, ct);
        foreach (var c in channels)
            await s.SendAsync(Describe.Channel(c, members[c.Tag].Any(m => m.UserTag == me && m.IsOperator)), ct);
        // 3
        if (paged)
            await s.SendAsync(new Status(StatusCode.RosterPaged, re, Tag.General, (uint)ctx.Sessions.OnlineCount,
                "too many users online to list; page through them with ROSTER_PAGE"), ct);
        else
        {
            await s.SendAsync(RosterBatcher.MemberList(Tag.General, [user.Tag, .. online.Select(o => o.UserTag)], [], max), ct);
            ctx.Sessions.Follow(s);
        }
        foreach (var c in channels) await s.SendAsync(ChannelMembers(c.Tag, members[c.Tag], max), ct);
        await s.SendAsync(RosterBatcher.MemberList(user.Tag, [.. friends.Select(f => new Tag(f))], [], max), ct);
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
        await s.SendAsync(new Status(StatusCode.AuthOk, re, user.Tag, 0, "signed in"), ct);
    }

    /// <summary>A channel's member list (with operators): one UPD, or MEMBERS parts when it does not fit one frame.</summary>
    public static IEnumerable<Frame> ChannelMembers(uint channel, IReadOnlyList<ChannelMember> members, int maxFrameSize) =>
        RosterBatcher.MemberList(new Tag(channel), [.. members.Select(m => new Tag(m.UserTag))],
            [.. members.Where(m => m.IsOperator).Select(m => new Tag(m.UserTag))], maxFrameSize);

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

// CREATE, RESOLVE, CO, INV, LEAVE, KICK (from a channel), TOPIC and UPD: IRC-like channels and member lists.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Rendezvous.Sessions;
using P2PChat.Rendezvous.Relations;
using P2PChat.Rendezvous.Storage;
using P2PChat.Rendezvous.Validation;

namespace P2PChat.Rendezvous.Commands;

public sealed class ChannelCommands(ServerContext ctx)
{
    /// <summary>CREATE → the creator (operator) gets ADD, CO and UPD; STATUS 28 bad name/topic, 30 taken.</summary>
    public async Task CreateAsync(Session s, Create c, CancellationToken ct)
    {
        if ((FieldRules.ChannelName(c.Name) ?? FieldRules.Topic(c.Topic)) is { } problem)
        {
            await s.ReplyAsync(StatusCode.InvalidField, Opcode.Create, ct, text: problem);
            return;
        }
        var result = c.Name.Equals(Describe.GeneralName, StringComparison.OrdinalIgnoreCase)
            ? null
            : await ctx.Store.CreateChannelAsync(new NewChannel(c.Name, c.Topic.Length == 0 ? null : c.Topic,
                c.Flags.HasFlag(ChannelFlags.InviteOnly), s.UserTag.Value), ct);
        if (result?.Channel is not { } channel)
        {
            await s.ReplyAsync(StatusCode.ChannelExists, Opcode.Create, ct, text: $"#{c.Name} exists");
            return;
        }
        s.SetChannel(channel.Tag, true);
        await s.SendAsync(Describe.Channel(channel, true), ct);
        await s.SendAsync(new CoJoined(new Tag(channel.Tag), s.UserTag), ct);
        await s.SendAsync(new Upd(new Tag(channel.Tag), [s.UserTag], [s.UserTag]), ct);
    }

    /// <summary>RESOLVE "#name" → ADD (channel) or STATUS 29; "username" → ADD (user) or STATUS 3 (value 1).</summary>
    public async Task ResolveAsync(Session s, Resolve r, CancellationToken ct)
    {
        if (r.Name.StartsWith('#'))
        {
            var name = r.Name[1..];
            if (name.Equals(Describe.GeneralName, StringComparison.OrdinalIgnoreCase))
            {
                await s.SendAsync(Describe.General, ct);
                return;
            }
            var channel = await ctx.Store.FindChannelByNameAsync(name, ct);
            var members = channel is null ? [] : await ctx.Store.ListChannelMembersAsync(channel.Tag, ct);
            // An invite-only channel exists, for RESOLVE, only to its members and those invited: anyone else gets
            // exactly the answer a name nobody uses gets, so neither its existence nor its topic leaks.
            if (channel is null || (channel.InviteOnly && !members.Any(m => m.UserTag == s.UserTag.Value)
                                    && !(await ctx.Store.ListInvitesForUserAsync(s.UserTag.Value, ct)).Any(i => i.ChannelTag == channel.Tag)))
            {
                await s.ReplyAsync(StatusCode.UnknownChannel, Opcode.Resolve, ct, text: $"no channel {r.Name}");
                return;
            }
            var roster = await ctx.Channels.GetAsync(channel.Tag, ct);
            await s.SendAsync(Describe.Channel(channel, roster?.IsOperator(s.UserTag.Value) == true), ct);
            return;
        }
        if (await ctx.Store.FindAccountByUsernameAsync(r.Name, ct) is not { } account)
        {
            await s.ReplyAsync(StatusCode.UnknownUser, Opcode.Resolve, ct, value: 1, text: $"no user {r.Name}");
            return;
        }
        await s.SendAsync((await ctx.DescribeUserAsync(account.Tag, s, ct))!, ct);
    }

    /// <summary>CO → joiner gets ADD (channel), the members' cards (ROSTER), UPD; every online member gets CO.</summary>
    public async Task JoinAsync(Session s, CoJoin j, CancellationToken ct)
    {
        if (j.Channel == Tag.General)
        {
            await s.OkAsync(Opcode.Co, ct, j.Channel);
            return;
        }
        var me = s.UserTag.Value;
        var outcome = j.Channel.IsChannel ? await ctx.Store.JoinChannelAsync(j.Channel.Value, me, ct) : JoinOutcome.NoSuchChannel;
        if (outcome == JoinOutcome.NoSuchChannel)
        {
            await s.ReplyAsync(StatusCode.UnknownChannel, Opcode.Co, ct, j.Channel, text: "no such channel");
            return;
        }
        if (outcome == JoinOutcome.NotInvited)
        {
            await s.ReplyAsync(StatusCode.NotAllowed, Opcode.Co, ct, j.Channel, text: "that channel is invite-only");
            return;
        }
        ctx.Channels.Invalidate(j.Channel.Value);
        if (await ctx.Channels.GetAsync(j.Channel.Value, ct) is not { } roster) return;
        var (channel, members) = (roster.Channel, roster.Members);
        s.SetChannel(channel.Tag, true);
        await s.SendAsync(Describe.Channel(channel, roster.IsOperator(me)), ct);
        var cards = new List<AddUser>();
        foreach (var m in members)
            if (m.UserTag != me && await ctx.DescribeUserAsync(m.UserTag, s, ct) is { } card) cards.Add(card);
        if (cards.Count > 0) await s.SendAsync(RosterBatcher.Cards(cards, ctx.Options.MaxFrameSize), ct);
        await s.SendAsync(SignInBurst.ChannelMembers(channel.Tag, members, ctx.Options.MaxFrameSize), ct);
        var joined = new CoJoined(j.Channel, s.UserTag);
        if (outcome == JoinOutcome.AlreadyMember) await s.SendAsync(joined, ct);
        else ctx.Sessions.SendTo(members.Select(m => m.UserTag), _ => joined);
    }

    /// <summary>INV → the invitee gets ADD (channel) + INV now or at sign-in; the inviter gets STATUS 18.</summary>
    public async Task InviteAsync(Session s, InvSend i, CancellationToken ct)
    {
        var me = s.UserTag.Value;
        if (await MembershipAsync(s, i.Channel, Opcode.Inv, ct) is not ({ } channel, { } members)) return;
        if (channel.InviteOnly && !IsOperator(members, me))
        {
            await s.ReplyAsync(StatusCode.NotAllowed, Opcode.Inv, ct, i.Channel, text: "only operators invite to an invite-only channel");
            return;
        }
        if (!i.Invitee.IsUser || await ctx.Store.FindAccountByTagAsync(i.Invitee.Value, ct) is null)
        {
            await s.ReplyAsync(StatusCode.UnknownUser, Opcode.Inv, ct, i.Invitee, 1, "no such user");
            return;
        }
        if (!await ctx.Ignores.IsIgnoringAsync(i.Invitee.Value, me, ct))
        {
            var outcome = await ctx.Store.InviteToChannelAsync(channel.Tag, i.Invitee.Value, me, ct);
            if (outcome == InviteOutcome.AlreadyMember)
            {
                await s.ReplyAsync(StatusCode.NotAllowed, Opcode.Inv, ct, i.Invitee, text: "already a member");
                return;
            }
            if (ctx.Sessions.Find(i.Invitee.Value) is { } invitee && invitee.Deliver(Describe.Channel(channel, false)))
                invitee.Deliver(new InvNotify(i.Channel, s.UserTag));
        }
        await s.OkAsync(Opcode.Inv, ct, i.Invitee);
    }

    /// <summary>LEAVE → every online member, the leaver included, gets LEAVE (reason 0). General: STATUS 22.</summary>
    public async Task LeaveAsync(Session s, Leave l, CancellationToken ct)
    {
        if (await MembershipAsync(s, l.Channel, Opcode.Leave, ct) is not ({ } channel, { } members)) return;
        await RemoveMemberAsync(s, channel, members, s.UserTag, LeaveReason.Left, Tag.None, Opcode.Leave, ct);
    }

    /// <summary>KICK with a channel (operators) → every online member, the kicked one included, gets LEAVE (reason 1).</summary>
    public async Task KickAsync(Session s, Kick k, CancellationToken ct)
    {
        if (await MembershipAsync(s, k.Channel, Opcode.Kick, ct) is not ({ } channel, { } members)) return;
        if (!await RequireOperatorAsync(s, members, k.Channel, Opcode.Kick, ct)) return;
        await RemoveMemberAsync(s, channel, members, k.User, LeaveReason.Kicked, s.UserTag, Opcode.Kick, ct);
    }

    /// <summary>TOPIC (operators) → every online member gets ADD (channel) with the new topic.</summary>
    public async Task TopicAsync(Session s, Topic t, CancellationToken ct)
    {
        if (await MembershipAsync(s, t.Channel, Opcode.Topic, ct) is not ({ } channel, { } members)) return;
        if (!await RequireOperatorAsync(s, members, t.Channel, Opcode.Topic, ct)) return;
        if (FieldRules.Topic(t.Text) is { } problem)
        {
            await s.ReplyAsync(StatusCode.InvalidField, Opcode.Topic, ct, t.Channel, text: problem);
            return;
        }
        await ctx.Store.SetChannelTopicAsync(channel.Tag, t.Text.Length == 0 ? null : t.Text, ct);
        ctx.Channels.Invalidate(channel.Tag);
        var updated = channel with { Topic = t.Text };
        ctx.Sessions.SendTo(members.Select(m => m.UserTag), r => Describe.Channel(updated, IsOperator(members, r.UserTag.Value)));
    }

    /// <summary>UPD: a channel you are in → UPD; your own tag → ADD per friend, then UPD; else STATUS 31.</summary>
    public async Task ListAsync(Session s, UpdRequest u, CancellationToken ct)
    {
        if (u.Tag == s.UserTag)
        {
            var friends = s.Friends();
            foreach (var f in friends)
                if (await ctx.DescribeUserAsync(f, s, ct) is { } card) await s.SendAsync(card, ct);
            await s.SendAsync(new Upd(u.Tag, [.. friends.Select(f => new Tag(f))], []), ct);
            return;
        }
        if (u.Tag == Tag.General)
        {
            if (ctx.Roster.GeneralIsPaged)
                await s.ReplyAsync(StatusCode.RosterPaged, Opcode.Upd, ct, Tag.General, (uint)ctx.Sessions.OnlineCount,
                    "too many users online to list; page through them with ROSTER_PAGE");
            else
                await s.SendAsync(RosterBatcher.MemberList(Tag.General, [.. ctx.Sessions.Online().Select(o => o.UserTag)], [], ctx.Options.MaxFrameSize), ct);
            return;
        }
        var roster = u.Tag.IsChannel ? await ctx.Channels.GetAsync(u.Tag.Value, ct) : null;
        if (roster is null || !roster.IsMember(s.UserTag.Value))
        {
            await s.ReplyAsync(StatusCode.NotMember, Opcode.Upd, ct, u.Tag, text: "you are not in that channel");
            return;
        }
        await s.SendAsync(SignInBurst.ChannelMembers(u.Tag.Value, roster.Members, ctx.Options.MaxFrameSize), ct);
    }

    /// <summary>The channel and its members when <paramref name="tag"/> is a channel other than general that the
    /// session belongs to; otherwise replies STATUS 22 (general), 29 or 31 and returns null.</summary>
    private async Task<(Channel, IReadOnlyList<ChannelMember>)?> MembershipAsync(Session s, Tag tag, Opcode re, CancellationToken ct)
    {
        if (tag == Tag.General)
        {
            await s.ReplyAsync(StatusCode.NotAllowed, re, ct, tag, text: "not in the general channel");
            return null;
        }
        if (!tag.IsChannel || await ctx.Channels.GetAsync(tag.Value, ct) is not { } roster)
        {
            await s.ReplyAsync(StatusCode.UnknownChannel, re, ct, tag, text: "no such channel");
            return null;
        }
        var (channel, members) = (roster.Channel, roster.Members);
        if (!roster.IsMember(s.UserTag.Value))
        {
            await s.ReplyAsync(StatusCode.NotMember, re, ct, tag, text: "you are not in that channel");
            return null;
        }
        return (channel, members);
    }

    private async Task RemoveMemberAsync(Session s, Channel channel, IReadOnlyList<ChannelMember> members, Tag user,
        LeaveReason reason, Tag by, Opcode re, CancellationToken ct)
    {
        var outcome = await ctx.Store.LeaveChannelAsync(channel.Tag, user.Value, ct);
        ctx.Channels.Invalidate(channel.Tag);
        if (outcome == LeaveOutcome.NotMember)
        {
            await s.ReplyAsync(StatusCode.NotMember, re, ct, user, text: "not in that channel");
            return;
        }
        ctx.Sessions.Find(user.Value)?.SetChannel(channel.Tag, false);
        var left = new Left(new Tag(channel.Tag), user, reason, by);
        ctx.Sessions.SendTo(members.Select(m => m.UserTag), _ => left);
    }

    /// <summary>STATUS 22 unless the session is an operator of the channel.</summary>
    private static async Task<bool> RequireOperatorAsync(Session s, IReadOnlyList<ChannelMember> members, Tag channel, Opcode re, CancellationToken ct)
    {
        if (IsOperator(members, s.UserTag.Value)) return true;
        await s.ReplyAsync(StatusCode.NotAllowed, re, ct, channel, text: "operators only");
        return false;
    }

    private static bool IsOperator(IReadOnlyList<ChannelMember> members, uint user) =>
        members.Any(m => m.UserTag == user && m.IsOperator);
}

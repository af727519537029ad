// FRIEND, IGNORE and BUZZ: relations between two users.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Rendezvous.Sessions;
using P2PChat.Rendezvous.Storage;
using Friend = P2PChat.Core.Protocol.Frames.Friend;

namespace P2PChat.Rendezvous.Commands;

public sealed class SocialCommands(ServerContext ctx)
{
    /// <summary>
    /// Request → the other gets STATUS 11 (now or at sign-in); a request to someone who asked you is an accept.
    /// Accept / refuse → the asker gets STATUS 12 / 13 and both get ADD with the friend flag. Remove (also
    /// withdraws a pending request) → the other gets STATUS 32. The actor always gets STATUS 18 on success.
    /// </summary>
    public async Task FriendAsync(Session s, Friend f, CancellationToken ct)
    {
        var me = s.UserTag.Value;
        var other = f.User.Value;
        if (!await CheckTargetAsync(s, f.User, Opcode.Friend, ct)) return;
        switch (f.Action)
        {
            case FriendAction.Request:
                if (await ctx.Ignores.IsIgnoringAsync(other, me, ct)) break;
                var outcome = await ctx.Store.RequestFriendshipAsync(me, other, ct);
                if (outcome == FriendRequestOutcome.Requested)
                    ctx.Sessions.Find(other)?.Deliver(new Status(StatusCode.FriendRequest, 0, s.UserTag, 0, "wants to be your friend"));
                else if (outcome == FriendRequestOutcome.Accepted)
                    await BecameFriendsAsync(s, other, ct);
                break;
            case FriendAction.Accept:
                if (!await ctx.Store.AcceptFriendRequestAsync(me, other, ct))
                {
                    await s.ReplyAsync(StatusCode.NotAllowed, Opcode.Friend, ct, f.User, text: "no pending request from that user");
                    return;
                }
                await BecameFriendsAsync(s, other, ct);
                break;
            case FriendAction.Refuse:
                if (!await ctx.Store.RemoveFriendRequestAsync(other, me, ct))
                {
                    await s.ReplyAsync(StatusCode.NotAllowed, Opcode.Friend, ct, f.User, text: "no pending request from that user");
                    return;
                }
                ctx.Sessions.Find(other)?.Deliver(new Status(StatusCode.FriendRefused, 0, s.UserTag, 0, "refused your friend request"));
                break;
            case FriendAction.Remove:
                if (await ctx.Store.RemoveFriendAsync(me, other, ct))
                {
                    s.SetFriend(other, false);
                    var theirs = ctx.Sessions.Find(other);
                    theirs?.SetFriend(me, false);
                    theirs?.Deliver(new Status(StatusCode.FriendRemoved, 0, s.UserTag, 0, "removed you from their friends"));
                    await ExchangeCardsAsync(s, other, theirs, ct);
                }
                else if (!await ctx.Store.RemoveFriendRequestAsync(me, other, ct))
                {
                    await s.ReplyAsync(StatusCode.NotAllowed, Opcode.Friend, ct, f.User, text: "not a friend");
                    return;
                }
                break;
            default:
                await s.ReplyAsync(StatusCode.InvalidField, Opcode.Friend, ct, f.User, text: "action: 1-4");
                return;
        }
        await s.OkAsync(Opcode.Friend, ct, f.User);
    }

    /// <summary>IGNORE on/off → STATUS 18.</summary>
    public async Task IgnoreAsync(Session s, Ignore i, CancellationToken ct)
    {
        if (!await CheckTargetAsync(s, i.User, Opcode.Ignore, ct)) return;
        await ctx.Ignores.SetAsync(s.UserTag.Value, i.User.Value, i.On, ct);
        await s.OkAsync(Opcode.Ignore, ct, i.User);
    }

    /// <summary>BUZZ → the other gets STATUS 17; the buzzer STATUS 18, or STATUS 3 (value 3) when the other is offline.</summary>
    public async Task BuzzAsync(Session s, Buzz b, CancellationToken ct)
    {
        if (!await CheckTargetAsync(s, b.User, Opcode.Buzz, ct)) return;
        if (ctx.Sessions.Find(b.User.Value) is not { } target)
        {
            await s.ReplyAsync(StatusCode.UnknownUser, Opcode.Buzz, ct, b.User, 3, "that user is offline");
            return;
        }
        if (!await ctx.Ignores.IsIgnoringAsync(b.User.Value, s.UserTag.Value, ct))
            target.Deliver(new Status(StatusCode.Buzzed, 0, s.UserTag, 0, "buzz!"));
        await s.OkAsync(Opcode.Buzz, ct, b.User);
    }

    /// <summary>The target must be another registered user: STATUS 3 (value 1) or 28 otherwise.</summary>
    private async Task<bool> CheckTargetAsync(Session s, Tag target, Opcode re, CancellationToken ct)
    {
        if (target == s.UserTag)
        {
            await s.ReplyAsync(StatusCode.InvalidField, re, ct, target, text: "user: not yourself");
            return false;
        }
        if (!target.IsUser || (ctx.Sessions.Find(target.Value) is null && await ctx.Store.FindAccountByTagAsync(target.Value, ct) is null))
        {
            await s.ReplyAsync(StatusCode.UnknownUser, re, ct, target, 1, "no such user");
            return false;
        }
        return true;
    }

    /// <summary>The two are friends now: the other (the asker) hears STATUS 12 and both get ADD with the flag.</summary>
    private async Task BecameFriendsAsync(Session s, uint other, CancellationToken ct)
    {
        s.SetFriend(other, true);
        var theirs = ctx.Sessions.Find(other);
        theirs?.SetFriend(s.UserTag.Value, true);
        theirs?.Deliver(new Status(StatusCode.FriendAccepted, 0, s.UserTag, 0, "accepted your friend request"));
        await ExchangeCardsAsync(s, other, theirs, ct);
    }

    /// <summary>Sends each side the other's ADD with the friend flag as it now stands.</summary>
    private async Task ExchangeCardsAsync(Session s, uint other, Session? theirs, CancellationToken ct)
    {
        if (await ctx.DescribeUserAsync(other, s, ct) is { } card) await s.SendAsync(card, ct);
        if (theirs is not null && s.User is { } me) theirs.Deliver(Describe.User(me, theirs));
    }
}

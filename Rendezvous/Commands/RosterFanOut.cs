// Roster and presence deltas: who hears that a user signed in or off, changed presence or changed card, coalesced per recipient.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Rendezvous.Sessions;

namespace P2PChat.Rendezvous.Commands;

/// <summary>
/// While the general channel is small (users online ≤ <c>GeneralRosterPageThreshold</c>) every signed-in session hears
/// about everyone, as the seed had it. Beyond it, a user's deltas reach the user's friends, the online co-members of
/// the user's other channels, and the sessions that follow the whole general channel (their burst listed it, or they
/// paged through all of it); everyone else learns about the user by paging (ROSTER_PAGE) or when the user writes to
/// them. Deltas go through <see cref="Session.DeliverDelta"/>, so a recipient gets the latest state per user in
/// batched frames however many changes happened while its writer was busy.
/// </summary>
public sealed class RosterFanOut(ServerContext ctx)
{
    /// <summary>True when the general channel is too large to list in a burst or to fan out to everyone.</summary>
    public bool GeneralIsPaged => ctx.Sessions.OnlineCount > ctx.Options.GeneralRosterPageThreshold;

    /// <summary>Sends <paramref name="user"/>'s card (sign-in, NICK, IDENTITY) to everyone who should hear of it but <paramref name="except"/>.</summary>
    public Task AnnounceCardAsync(SignedInUser user, Session subject, Session? except, CancellationToken ct)
    {
        var plain = Describe.User(user, UserFlags.None);
        var friend = Describe.User(user, UserFlags.Friend);
        return FanOutAsync(subject, except, r => r.IsFriend(user.Tag.Value) ? friend : plain, ct);
    }

    /// <summary>Sends a presence change of <paramref name="subject"/>'s user to everyone who should hear of it but <paramref name="except"/>.</summary>
    public Task AnnouncePresenceAsync(Session subject, PresenceUpdate update, Session? except, CancellationToken ct) =>
        FanOutAsync(subject, except, _ => update, ct);

    private async Task FanOutAsync(Session subject, Session? except, Func<Session, Frame> frameFor, CancellationToken ct)
    {
        var tag = subject.UserTag.Value;
        if (!GeneralIsPaged)
        {
            foreach (var r in ctx.Sessions.Online())
                if (r != except && r != subject) r.DeliverDelta(tag, frameFor(r));
            return;
        }
        var recipients = new HashSet<Session>(ctx.Sessions.Followers());
        foreach (var f in subject.Friends())
            if (ctx.Sessions.Find(f) is { } s) recipients.Add(s);
        foreach (var channel in subject.Channels())
            if (await ctx.Channels.GetAsync(channel, ct).ConfigureAwait(false) is { } roster)
                foreach (var m in roster.Members)
                    if (ctx.Sessions.Find(m.UserTag) is { } s) recipients.Add(s);
        recipients.Remove(subject);
        if (except is not null) recipients.Remove(except);
        foreach (var r in recipients) r.DeliverDelta(tag, frameFor(r));
    }
}

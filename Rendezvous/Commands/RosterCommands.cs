// ROSTER_PAGE: paging through the users online in a general channel too large to list in the sign-in burst.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Rendezvous.Sessions;

namespace P2PChat.Rendezvous.Commands;

/// <summary>
/// ROSTER_PAGE (channel 1, after, max) → the cards of up to max (1..<see cref="MaxPage"/>) users online with a tag above
/// <c>after</c>, in tag order (ROSTER frames), then ROSTER_PAGE (S→C) with the next cursor (0 after the last page).
/// Pages are cut from the online list as it is when each request arrives, so a user signing in or off between pages
/// may be missed or seen twice; a client that reaches the last page follows the general channel from then on (it
/// receives every user's deltas), so its list stays current without paging again. Other channels: STATUS 22 (their
/// member lists come whole, in UPD or MEMBERS parts).
/// </summary>
public sealed class RosterCommands(ServerContext ctx)
{
    public const int MaxPage = 1000;

    public async Task PageAsync(Session s, RosterPageRequest r, CancellationToken ct)
    {
        if (r.Channel != Tag.General)
        {
            await s.ReplyAsync(StatusCode.NotAllowed, Opcode.RosterPage, ct, r.Channel, text: "only the general channel is paged");
            return;
        }
        var max = Math.Clamp((int)r.Max, 1, MaxPage);
        var online = ctx.Sessions.Online();
        var page = online.Where(o => o.UserTag.Value > r.After.Value && o.User is not null)
            .OrderBy(o => o.UserTag.Value).Take(max + 1).ToList();
        var last = page.Count <= max;
        if (!last) page.RemoveAt(max);
        var cards = page.Select(o => Describe.User(o.User!, s)).ToList();
        if (cards.Count > 0) await s.SendAsync(RosterBatcher.Cards(cards, ctx.Options.MaxFrameSize), ct);
        var next = last || page.Count == 0 ? Tag.None : page[^1].UserTag;
        await s.SendAsync(new RosterPageEnd(Tag.General, r.After, next, (uint)online.Count), ct);
        if (last) ctx.Sessions.Follow(s);
    }
}

// Room events in the TUI: a room is a buffer "&name" whose member list shows the host first, then the succession.
using P2PChat.Peer.Events;
using P2PChat.Peer.Rooms;
using P2PChat.Peer.Tui.State;

namespace P2PChat.Peer.Tui.Binding;

/// <summary>
/// The member list of a room buffer (the member-list widget) shows each member as "★name" for the host and "2·name",
/// "3·name"… for the succession (the order in which they would take over), offline members as offline rather than
/// dropped. An invitation is a notice and an offer put to the user in the modal offer dialog (Accept submits
/// "/room join ID", Reject or Esc "/room decline ID"); host changes, votes and game results are notices in the room's buffer.
/// </summary>
public sealed class RoomEvents
{
    public static string BufferOf(string name) => "&" + name;

    public void Apply(ChatViewState state, ClientEvent e)
    {
        Observe(e);
        switch (e)
        {
            case RoomInviteEvent i:
                state.Notice($"{i.From} invites you to the room &{i.Name} ({i.Members} members, hosted by {i.Host}): /room join {i.Room} or /room decline {i.Room}");
                // The same answer in the modal offer dialog: Accept joins, Reject (the default) or Esc declines.
                state.AskOffer(new PendingOffer(new OfferView(OfferKind.RoomInvitation, i.From, "&" + i.Name, $"{i.Members} members, hosted by {i.Host}"),
                    $"/room join {i.Room}", $"/room decline {i.Room}"));
                break;
            case RoomJoinedEvent j:
                state.OpenBuffer(BufferOf(j.Name), switchTo: true);
                state.Notice($"you are in &{j.Name} ({j.Room}); the host ({j.Host}) can see the address of members on a direct path", BufferOf(j.Name));
                break;
            case RoomStateEvent s:
                state.SetMembers(BufferOf(s.Name), s.Members.OrderBy(m => m.Place).Select(m => new Member(Label(m), m.Online ? MemberPresence.Online : MemberPresence.Offline)));
                state.SetTitle(BufferOf(s.Name), $"host {s.Host}" + (s.Succession.Count > 0 ? $" · next {string.Join(", ", s.Succession)}" : "") + (s.RotationMinutes > 0 ? $" · rotates every {s.RotationMinutes} min" : "") + Addresses(s.Members));
                break;
            case RoomHostEvent h:
                state.Notice($"host: {h.Host} ({h.Reason}, epoch {h.Epoch}); then {string.Join(", ", h.Succession)}", Find(state, h.Room));
                break;
            case RoomMemberEvent m:
                state.Notice($"{m.User} {m.Change}" + (m.Reason is null ? "" : $": {m.Reason}"), Find(state, m.Room));
                break;
            case RoomLeftEvent l:
                state.Notice($"you left &{l.Name} ({l.Reason})", BufferOf(l.Name));
                break;
            case RoomVoteEvent v:
                state.Notice($"{v.Voter} votes {v.Candidate} as host" + (v.Elected is null ? "" : $"; {v.Elected} is elected"), Find(state, v.Room));
                break;
            case RoomGameEvent g:
                state.Notice($"{g.Game} by {g.By}: {g.Result} (round {g.Round}, seed {g.Seed[..Math.Min(16, g.Seed.Length)]}…, {g.Reveals.Count} reveals)", Find(state, g.Room));
                break;
            case RoomsEvent r:
                state.Notice(r.Rooms.Count == 0 ? "you are in no room" : string.Join("; ", r.Rooms.Select(x => $"&{x.Name} ({x.Room}) host {x.Host}, {x.Members} members{(x.Hosting ? ", you host it" : "")}")));
                break;
        }
    }

    /// <summary>
    /// Whose address the host sees, as far as this member knows (the host knows every member's route; a member knows its
    /// own): "· host sees the address of bob · not of carol (relay)". The same in room_state for scripts.
    /// </summary>
    private static string Addresses(IReadOnlyList<RoomMemberInfo> members)
    {
        var seen = members.Where(m => m.AddressVisibleToHost == true).Select(m => m.User).ToList();
        var hidden = members.Where(m => m.AddressVisibleToHost == false).Select(m => m.User).ToList();
        return (seen.Count > 0 ? $" · host sees the address of {string.Join(", ", seen)}" : "")
            + (hidden.Count > 0 ? $" · {(seen.Count > 0 ? "not" : "host does not see the address")} of {string.Join(", ", hidden)} (relay)" : "");
    }

    private static string Label(RoomMemberInfo m) => m.Place == 0 ? "★" + m.User : $"{m.Place + 1}·{m.User}";

    /// <summary>The room's buffer is found by its id through the names we have seen; the current buffer otherwise.</summary>
    private readonly Dictionary<string, string> _names = [];

    private string? Find(ChatViewState state, string room) =>
        _names.TryGetValue(room, out var name) && state.HasBuffer(BufferOf(name)) ? BufferOf(name) : null;

    /// <summary>Remembers which buffer a room id belongs to (one reader: the binder).</summary>
    private void Observe(ClientEvent e)
    {
        switch (e)
        {
            case RoomJoinedEvent j: _names[j.Room] = j.Name; break;
            case RoomStateEvent s: _names[s.Room] = s.Name; break;
        }
    }
}

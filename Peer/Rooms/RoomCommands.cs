// The room commands: /room ..., /rooms, /msg &ROOM, and the games (/roll, /roulette, /coin, /blackjack, /hit, /stand).
using System.Globalization;
using P2PChat.Core.Protocol;
using P2PChat.Core.Rooms;
using P2PChat.Core.Rooms.Games;
using P2PChat.Peer.Session;
using P2PChat.Peer.Commands;
using P2PChat.Peer.Events;

namespace P2PChat.Peer.Rooms;

/// <summary>
/// <c>/room create NAME | invite USER [ROOM] | join ROOM | decline ROOM | leave [ROOM] | members [ROOM] | vote USER [ROOM]
/// | rotate MINUTES|now [ROOM] | kick USER [ROOM] | ban USER [ROOM] | mod USER [ROOM]</c>; ROOM is the room's id or name
/// (with or without '&amp;') and may be left out when one is in a single room. Failures become error events (code 131).
/// </summary>
public static class RoomCommands
{
    public static readonly string[] Actions = ["create", "invite", "join", "decline", "leave", "members", "vote", "rotate", "kick", "ban", "mod"];

    /// <param name="resolveUser">
    /// a username to its tag: the directory, else the server (RESOLVE), which knows users the roster has not listed yet
    /// (someone who signed in a moment ago); throws a failed command for a user the server does not know.
    /// </param>
    public static IReadOnlyList<CommandSpec> For(RoomService rooms, Func<string, CancellationToken, Task<Tag>> resolveUser) =>
    [
        new("room", [new Param("ACTION", ParamKind.Word, Actions), new Param("ARGS", ParamKind.OptionalText)],
            "private rooms hosted by a peer: create NAME, invite USER, join ROOM, decline ROOM, leave, members, vote USER, rotate MINUTES|now, kick USER, ban USER, mod USER",
            (c, a, ct) => Guard(c, "room", () => RoomAsync(rooms, resolveUser, a["ACTION"], Words(a.Optional("ARGS")), ct))),
        new("rooms", [], "list the rooms you are in and who hosts each",
            (c, _, _) => Guard(c, "rooms", () =>
            {
                c.Events.Publish(new RoomsEvent([.. rooms.Rooms.Select(r => new RoomSummary(r.Id.ToString(), r.State.Name, c.Session.Directory.NameOf(r.State.Host), r.State.Members.Count, r.IsHost))]));
                return Task.CompletedTask;
            })),
        new("roll", [new Param("NdM|&ROOM", ParamKind.OptionalText)], "roll dice in a room (default 1d6): fair by commit-reveal among the members",
            (c, a, _) => Guard(c, "roll", () =>
            {
                var (room, rest) = RoomAndRest(rooms, a.Optional("NdM|&ROOM"));
                var (dice, sides) = DiceRoll.Parse(rest.FirstOrDefault());
                return room.PlayAsync(new RoomPayload.GameStart(RoomPeer.NewGameId(), RoomPayload.GameKind.Roll, dice, sides));
            })),
        Game("roulette", "spin a European roulette wheel (0–36) in a room", RoomPayload.GameKind.Roulette, rooms),
        Game("coin", "toss a coin in a room", RoomPayload.GameKind.Coin, rooms),
        Game("blackjack", "play a hand of blackjack against the dealer in a room: every card comes from a fresh commit-reveal round", RoomPayload.GameKind.Blackjack, rooms),
        Move("hit", "blackjack: take a card", RoomPayload.Move.Hit, rooms),
        Move("stand", "blackjack: stop; the dealer draws to 17", RoomPayload.Move.Stand, rooms),
    ];

    /// <summary>/msg with a room target (&amp;ROOM) goes to the room; anything else to the wrapped /msg.</summary>
    public static IEnumerable<CommandSpec> WithRoomMessages(IEnumerable<CommandSpec> commands, RoomService rooms) =>
        commands.Select(c => c.Name != SentMessageHook.MessageCommand ? c : c with
        {
            Params = [new Param("USER|#CHANNEL|&ROOM", ParamKind.Word), c.Params[1]],
            Run = (context, args, ct) =>
            {
                var target = args["USER|#CHANNEL|&ROOM"];
                if (!target.StartsWith('&')) return c.Run(context, Rebind(c, target, args[c.Params[1].Name]), ct);
                return Guard(context, "msg", () => rooms.Find(target).SayAsync(args[c.Params[1].Name]));
            },
        });

    private static CommandArgs Rebind(CommandSpec original, string target, string text) =>
        CommandArgs.Bind(original, $"{Quote(target)} {text}");

    private static string Quote(string word) => word.Contains(' ') || word.Contains('"') ? "\"" + word.Replace("\"", "\\\"") + "\"" : word;

    private static CommandSpec Game(string name, string help, RoomPayload.GameKind kind, RoomService rooms) =>
        new(name, [new Param("&ROOM", ParamKind.OptionalWord)], help,
            (c, a, _) => Guard(c, name, () => RoomAndRest(rooms, a.Optional("&ROOM")).Room.PlayAsync(new RoomPayload.GameStart(RoomPeer.NewGameId(), kind, 0, 0))));

    private static CommandSpec Move(string name, string help, RoomPayload.Move move, RoomService rooms) =>
        new(name, [new Param("&ROOM", ParamKind.OptionalWord)], help,
            (c, a, _) => Guard(c, name, async () =>
            {
                var room = RoomAndRest(rooms, a.Optional("&ROOM")).Room;
                var hand = await room.MyHandAsync().ConfigureAwait(false) ?? throw new RoomCommandException("you have no blackjack hand in this room (/blackjack deals one)");
                await room.PlayAsync(new RoomPayload.GameMove(hand, move)).ConfigureAwait(false);
            }));

    private static async Task Guard(CommandContext c, string name, Func<Task> run)
    {
        try { await run().ConfigureAwait(false); }
        catch (Exception e) when (e is RoomCommandException or RoomProtocolException)
        {
            throw new CommandFailedException((PeerErrorCode)RoomErrors.Failed, e.Message);
        }
    }

    private static string[] Words(string? text) => text?.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    /// <summary>A leading &amp;ROOM word picks the room; otherwise the only room one is in.</summary>
    private static (RoomPeer Room, string[] Words) RoomAndRest(RoomService rooms, string? text)
    {
        var words = Words(text);
        if (words.Length > 0 && words[0].StartsWith('&')) return (rooms.Find(words[0]), words[1..]);
        return (Only(rooms), words);
    }

    private static RoomPeer Only(RoomService rooms) => rooms.Rooms.Count switch
    {
        1 => rooms.Rooms[0],
        0 => throw new RoomCommandException("you are in no room (/room create NAME, or /room join ROOM after an invitation)"),
        _ => throw new RoomCommandException("you are in several rooms: name one (&ROOM)"),
    };

    private static RoomPeer Pick(RoomService rooms, string[] words, int at) => words.Length > at ? rooms.Find(words[at]) : Only(rooms);

    private static string Need(string[] words, int at, string what) =>
        words.Length > at ? words[at] : throw new RoomCommandException($"/room needs {what}");

    private static async Task RoomAsync(RoomService rooms, Func<string, CancellationToken, Task<Tag>> resolve, string action, string[] w, CancellationToken ct)
    {
        Task<Tag> User() => resolve(Need(w, 0, "a USER"), ct);
        switch (action)
        {
            case "create":
                var name = Need(w, 0, "a NAME").TrimStart('&');
                if (System.Text.Encoding.UTF8.GetByteCount(name) > RoomState.MaxNameBytes) throw new RoomCommandException($"a room name is at most {RoomState.MaxNameBytes} bytes");
                rooms.Create(name);
                return;
            case "invite":
                var room = Pick(rooms, w, 1);
                await rooms.InviteAsync(room, await User().ConfigureAwait(false), ct).ConfigureAwait(false);
                return;
            case "join": rooms.Join(Need(w, 0, "a ROOM")); return;
            case "decline": rooms.Decline(Need(w, 0, "a ROOM")); return;
            case "leave": await Pick(rooms, w, 0).LeaveAsync().ConfigureAwait(false); return;
            case "members": await Pick(rooms, w, 0).ShowAsync().ConfigureAwait(false); return;
            case "vote": await Pick(rooms, w, 1).VoteAsync(await User().ConfigureAwait(false)).ConfigureAwait(false); return;
            case "rotate" when Need(w, 0, "MINUTES (0 stops rotation) or now") == "now":
                await Pick(rooms, w, 1).RotateNowAsync().ConfigureAwait(false);
                return;
            case "rotate":
                if (!ushort.TryParse(Need(w, 0, "MINUTES (0 stops rotation)"), NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) || minutes > 24 * 60)
                    throw new RoomCommandException("MINUTES is a whole number from 0 (off) to 1440");
                await Pick(rooms, w, 1).RotateAsync(minutes).ConfigureAwait(false);
                return;
            case "kick": await Pick(rooms, w, 1).RemoveAsync(await User().ConfigureAwait(false), ban: false).ConfigureAwait(false); return;
            case "ban": await Pick(rooms, w, 1).RemoveAsync(await User().ConfigureAwait(false), ban: true).ConfigureAwait(false); return;
            case "mod": await Pick(rooms, w, 1).PromoteAsync(await User().ConfigureAwait(false)).ConfigureAwait(false); return;
            default: throw new RoomCommandException($"unknown /room action '{action}'");
        }
    }
}

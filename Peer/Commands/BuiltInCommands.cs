// The peer's slash commands: each one's parameters, help line and what it asks of the peer session.
using P2PChat.Core.Protocol.Frames;
using P2PChat.Peer.Events;

namespace P2PChat.Peer.Commands;

public static class BuiltInCommands
{
    private static Param Word(string name, params string[] choices) => new(name, ParamKind.Word, choices.Length > 0 ? choices : null);
    private static Param Maybe(string name, params string[] choices) => new(name, ParamKind.OptionalWord, choices.Length > 0 ? choices : null);
    private static Param Text(string name) => new(name, ParamKind.Text);

    /// <summary>The keys /register takes after USER PASSWORD.</summary>
    public static readonly IReadOnlyList<string> RegisterKeys = ["email", "nickname", "fullname", "birthdate", "gender", "location"];

    public static IReadOnlyList<CommandSpec> All { get; } =
    [
        new("connect", [], "connect to the server (done at start; again after a disconnection)",
            (c, _, ct) => c.Session.ConnectAsync(ct)),
        new("register", [Word("USER"), Word("PASSWORD"), new Param("key=value", ParamKind.Pairs)],
            "create an account; keys: email, nickname, fullname, birthdate (yyyy-mm-dd), gender, location",
            (c, a, ct) => c.Session.RegisterAsync(RegisterForm(a), ct)),
        new("login", [Word("USER"), Word("PASSWORD")], "sign in",
            (c, a, ct) => c.Session.LoginAsync(a["USER"], a["PASSWORD"], ct)),
        new("nick", [Word("NAME")], "change your nickname",
            (c, a, ct) => c.Session.NickAsync(a["NAME"], ct)),
        new("away", [new Param("TEXT", ParamKind.OptionalText)], "mark yourself away with TEXT; without text, back online",
            (c, a, ct) => c.Session.AwayAsync(a.Optional("TEXT"), ct)),
        new("msg", [Word("USER|#CHANNEL"), Text("TEXT")], "send TEXT to a user or a channel",
            (c, a, ct) => c.Session.SendTextAsync(a["USER|#CHANNEL"], a["TEXT"], ct)),
        new("create", [Word("#CHANNEL"), Maybe("MODE", "invite-only")], "create a channel (you become its operator)",
            (c, a, ct) => c.Session.CreateChannelAsync(a["#CHANNEL"], a.Optional("MODE") is not null, ct)),
        new("join", [Word("#CHANNEL")], "join an open channel, or one you were invited to",
            (c, a, ct) => c.Session.JoinAsync(a["#CHANNEL"], ct)),
        new("invite", [Word("USER"), Word("#CHANNEL")], "invite a user to a channel",
            (c, a, ct) => c.Session.InviteAsync(a["USER"], a["#CHANNEL"], ct)),
        new("leave", [Word("#CHANNEL")], "leave a channel",
            (c, a, ct) => c.Session.LeaveAsync(a["#CHANNEL"], ct)),
        new("topic", [Word("#CHANNEL"), Text("TEXT")], "set a channel's topic (operators)",
            (c, a, ct) => c.Session.TopicAsync(a["#CHANNEL"], a["TEXT"], ct)),
        new("who", [Word("#CHANNEL")], "list a channel's members",
            (c, a, ct) => c.Session.WhoAsync(a["#CHANNEL"], ct)),
        new("whois", [Word("USER")], "show what is known about a user",
            (c, a, ct) => c.Session.WhoisAsync(a["USER"], ct)),
        new("friend", [Word("ACTION", "add", "accept", "refuse", "remove"), Word("USER")], "ask, accept, refuse or remove a friend",
            (c, a, ct) => c.Session.FriendAsync(FriendActionOf(a["ACTION"]), a["USER"], ct)),
        new("friends", [], "list your friends",
            (c, _, ct) => c.Session.FriendsAsync(ct)),
        new("ignore", [Word("USER")], "drop a user's messages, buzzes, invites and friend requests",
            (c, a, ct) => c.Session.IgnoreAsync(a["USER"], true, ct)),
        new("unignore", [Word("USER")], "stop ignoring a user",
            (c, a, ct) => c.Session.IgnoreAsync(a["USER"], false, ct)),
        new("buzz", [Word("USER")], "get a user's attention",
            (c, a, ct) => c.Session.BuzzAsync(a["USER"], ct)),
        new("kick", [Word("USER"), Maybe("#CHANNEL")], "kick a user from a channel (operators) or off the server (admins)",
            (c, a, ct) => c.Session.KickAsync(a["USER"], a.Optional("#CHANNEL"), ct)),
        new("ban", [Word("USER"), Word("MINUTES")], "ban a user for MINUTES (0 lifts the ban; admins)",
            (c, a, ct) => c.Session.BanAsync(a["USER"], Minutes(a["MINUTES"]), ct)),
        new("fingerprint", [], "show your identity fingerprint (read it aloud to compare)",
            (c, _, ct) => c.Session.FingerprintAsync(ct)),
        new("safety", [Word("USER")], "show the safety number of your conversation with USER, to compare out of band",
            (c, a, ct) => c.Session.SafetyAsync(a["USER"], ct)),
        new("verify", [Word("USER"), Text("SAFETY-NUMBER")], "mark USER's key verified if SAFETY-NUMBER is your safety number with them",
            (c, a, ct) => c.Session.VerifyAsync(a["USER"], a["SAFETY-NUMBER"], ct)),
        new("trust", [Word("USER")], "accept USER's changed identity key and send the messages held for them",
            (c, a, ct) => c.Session.TrustAsync(a["USER"], ct)),
        new("help", [Maybe("COMMAND")], "list the commands, or show one",
            (c, a, _) => Help(c, a.Optional("COMMAND"))),
        new("quit", [], "sign off and stop",
            (c, _, ct) => c.Session.QuitAsync(ct), Quits: true),
    ];

    private static Register RegisterForm(CommandArgs a)
    {
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in a.Pairs)
        {
            var eq = pair.IndexOf('=');
            var key = pair[..eq];
            if (!RegisterKeys.Contains(key, StringComparer.OrdinalIgnoreCase))
                throw new CommandFailedException(PeerErrorCode.BadArguments, $"unknown key '{key}'; keys: {string.Join(", ", RegisterKeys)}");
            fields[key] = pair[(eq + 1)..];
        }
        string F(string key) => fields.GetValueOrDefault(key, "");
        return new Register(a["USER"], a["PASSWORD"], F("email"), F("nickname"), F("fullname"), F("birthdate"), F("gender"), F("location"));
    }

    private static FriendAction FriendActionOf(string word) => word switch
    {
        "add" => FriendAction.Request,
        "accept" => FriendAction.Accept,
        "refuse" => FriendAction.Refuse,
        _ => FriendAction.Remove,
    };

    private static uint Minutes(string text) => uint.TryParse(text, out var minutes)
        ? minutes
        : throw new CommandFailedException(PeerErrorCode.BadArguments, $"MINUTES must be a whole number of minutes, not '{text}'");

    private static Task Help(CommandContext c, string? command)
    {
        var specs = command is null ? c.Registry.All
            : c.Registry.Find(command) is { } one ? [one]
            : throw new CommandFailedException(PeerErrorCode.UnknownCommand, $"no command /{command.TrimStart('/')}");
        c.Events.Publish(new HelpEvent([.. specs.Select(s => new HelpEntry(s.Name, s.Usage, s.Help))]));
        return Task.CompletedTask;
    }
}

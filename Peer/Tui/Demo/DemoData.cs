// Fake buffers, members, history and chatter for the TUI demo.
using P2PChat.Peer.Tui.State;

namespace P2PChat.Peer.Tui.Demo;

internal static class DemoData
{
    public const string Me = "you";

    public static readonly string[] Nicks = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"];

    public static readonly string[] Lines =
    [
        "has anyone tried the new relay fallback?",
        "hole punching worked from my home NAT on the first try",
        "I think the rendezvous server restarted a minute ago",
        "this is a long line that keeps going so that it has to wrap over more than one row of the message view, even on a wide terminal",
        "日本語のテキストも大丈夫ですか？",
        "emoji test 🎉🚀 👍🏽 done",
        "lunch?",
        "pushing a fix for the handshake timeout now",
        "@you can you review my branch?",
        "brb",
    ];

    public static void Fill(ChatViewState state, DateTimeOffset now, int historyPerBuffer = 300)
    {
        state.SetMyNick(Me);
        state.SetConnection(ServerConnectionStatus.Connected, Me, "demo.p2pchat.local:7777");
        state.SetCommands(["/help", "/join", "/part", "/msg", "/buzz", "/quit", "/flood", "/me", "/away"]);
        foreach (var id in new[] { BufferIds.General, "#rust", "#random", "@bob", "@carol" }) state.OpenBuffer(id);
        state.SetTitle(BufferIds.General, "Welcome to P2PChat! Be nice.");
        state.SetTitle("#rust", "Rust and other crabs");
        state.SetRoute("bob", PeerRoute.Direct);
        state.SetRoute("carol", PeerRoute.Relay);
        var members = Nicks.Select((n, i) => new Member(n, (MemberPresence)(i % 3))).Append(new Member(Me, MemberPresence.Online)).ToList();
        state.SetMembers(BufferIds.General, members);
        state.SetMembers("#rust", members.Take(4));
        state.SetMembers("#random", members.Skip(3));

        var random = new Random(42);
        foreach (var id in new[] { BufferIds.General, "#rust", "#random", "@bob", "@carol" })
        {
            var history = new List<ChatMessage>();
            for (int i = 0; i < historyPerBuffer; i++)
            {
                var time = now - TimeSpan.FromMinutes(7 * (historyPerBuffer - i));
                string sender = id.StartsWith('@') ? (i % 2 == 0 ? id[1..] : Me) : Nicks[random.Next(Nicks.Length)];
                var kind = sender == Me ? MessageKind.Own : MessageKind.Normal;
                history.Add(new ChatMessage(time, sender, Lines[random.Next(Lines.Length)], kind, Encrypted: id.StartsWith('@')));
            }
            state.LoadHistory(id, history);
        }
        state.Notice("This is the TUI demo: nothing leaves this machine. Try /help.");
    }
}

// Runs p2pchat without --headless: first-run questions, then the full-screen UI bound to the real client.
using P2PChat.Peer.Server;
using P2PChat.Peer.Commands;
using P2PChat.Peer.History;
using P2PChat.Peer.Hosting;
using P2PChat.Peer.Profile;
using P2PChat.Peer.Tui.Setup;
using P2PChat.Peer.Tui.State;
using P2PChat.Peer.Tui.Terminal;

namespace P2PChat.Peer.Tui.Binding;

/// <summary>
/// Without --login a dialog asks (server, register or sign in, user, masked password; the profile's server and
/// user are offered). Then: history loaded into the scrollback, events applied by <see cref="ClientEventBinder"/>,
/// lines routed by <see cref="InputRouter"/>, connect and sign in while the UI already runs. On the way out
/// (/quit, Ctrl-C, SIGTERM) the client signs off. Diagnostics go to p2pchat.log in the profile.
/// </summary>
public static class TuiFrontEnd
{
    private static readonly TimeSpan SignOffTimeout = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync(PeerSettings settings, CancellationToken ct)
    {
        using var log = RunLog.Open(settings.ProfileFolder);
        if (settings.Login is null)
        {
            try
            {
                if (await AskAsync(settings, ct) is not { } answered) return 130; // given up (Quit, Esc, Ctrl-C): nothing started yet
                settings = answered;
            }
            catch (OperationCanceledException) { return 130; }
        }
        log.Capture();
        log.Line($"p2pchat TUI: server {settings.Server}, user {settings.Login}");

        await using var session = PeerSession.Open(settings);
        var state = new ChatViewState();
        state.SetMyNick(settings.Login ?? "");
        state.SetConnection(ServerConnectionStatus.Connecting, settings.Login, settings.Server?.ToString());
        var loading = System.Diagnostics.Stopwatch.StartNew();
        log.Line($"history: {HistoryLoader.Load(session.History, state)} lines loaded in {loading.ElapsedMilliseconds} ms");

        var tuiCommands = TuiCommands.For(state);
        var dispatcher = session.Commands(tuiCommands, (target, text, encrypted) => EchoOwn(state, session.Recorder.Me, target, text, encrypted));
        state.SetCommands(BuiltInCommands.All.Concat(tuiCommands).Select(c => "/" + c.Name));
        var whois = new PendingWhois();
        var router = new InputRouter(state, dispatcher, whois);
        var profile = new ProfileRecorder(session.Profile);
        var pump = new ClientEventBinder(state, whois).RunAsync(session.Events, e => { log.Event(e); profile.Observe(e); }, CancellationToken.None);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var startup = session.StartAsync(stop.Token);
        try
        {
            await TuiApp.RunAsync(state, line => router.SubmitAsync(line, stop.Token), ct);
        }
        finally
        {
            stop.Cancel();
            await IgnoringCancellation(startup);
            if (session.Chat.IsConnected)
            {
                using var signOff = new CancellationTokenSource(SignOffTimeout);
                await IgnoringCancellation(dispatcher.RunAsync("/quit", signOff.Token));
            }
            session.Events.Complete();
            await pump;
        }
        return 0;
    }

    /// <summary>The local echo of a message I sent (the server does not send it back).</summary>
    internal static void EchoOwn(ChatViewState state, string me, string target, string text, bool encrypted = false)
    {
        var buffer = HistoryBuffers.ForTarget(target);
        state.AddMessage(buffer, me.Length > 0 ? me : state.MyNick, text, MessageKind.Own, encrypted: encrypted);
        if (buffer.StartsWith('@')) state.SetRoute(target, PeerRoute.Server);
    }

    /// <summary>The first-run dialog; the answers replace server and login (the password stays in memory). Null when given up.</summary>
    private static async Task<PeerSettings?> AskAsync(PeerSettings settings, CancellationToken ct)
    {
        var known = new ProfileStore(settings.ProfileFolder).Load();
        var answers = await UiThread.RunAsync(app =>
        {
            using var stop = ct.Register(() => app.Invoke(() => app.RequestStop()));
            return FirstRunDialog.Ask(app, settings.Server?.ToString() ?? known.Server, known.Username);
        }, () => { });
        if (answers is null) return null;
        if (!ServerAddress.TryParse(answers.Server, out var server, out var error)) throw new ArgumentException(error);
        return settings with { Server = server, Login = answers.User, Password = answers.Password, RegisterIfMissing = answers.Register };
    }

    private static async Task IgnoringCancellation(Task task)
    {
        try { await task; }
        catch (OperationCanceledException) { }
    }
}

// A self-contained demo of the TUI with fake buffers and chatter, for looking at it without a server.
using P2PChat.Peer.Tui.State;

namespace P2PChat.Peer.Tui.Demo;

/// <summary>
/// Fills a view state with <see cref="DemoData"/>, lets fake peers talk at <c>messagesPerSecond</c>, and answers
/// a few commands itself: /help, /join #x, /msg nick text, /buzz, /flood N (N messages at 100 a second), /quit, and
/// /crash (an unhandled exception on another thread: shows that the terminal is restored after a crash).
/// </summary>
public static class TuiDemo
{
    public static Task RunAsync(CancellationToken ct) => RunAsync(1, ct);

    public static async Task RunAsync(double messagesPerSecond, CancellationToken ct)
    {
        var state = new ChatViewState();
        DemoData.Fill(state, DateTimeOffset.UtcNow);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var chatter = ChatterAsync(state, messagesPerSecond, stop.Token);
        try
        {
            await TuiApp.RunAsync(state, line => Submit(state, line, stop.Token), stop.Token);
        }
        finally
        {
            stop.Cancel();
            try { await chatter; } catch (OperationCanceledException) { }
        }
    }

    private static Task Submit(ChatViewState state, string line, CancellationToken ct)
    {
        var words = line.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        switch (words[0])
        {
            case "/help":
                foreach (var c in state.Commands) state.Notice($"{c,-8} (demo)");
                break;
            case "/quit": state.RequestQuit(); break;
            case "/buzz": state.Buzz("bob"); break;
            case "/join" when words.Length > 1 && words[1].StartsWith('#'): state.OpenBuffer(words[1], switchTo: true); break;
            case "/msg" when words.Length > 2:
                state.AddMessage(BufferIds.ForPeer(words[1]), DemoData.Me, words[2], MessageKind.Own, encrypted: true);
                break;
            case "/flood": _ = FloodAsync(state, words.Length > 1 && int.TryParse(words[1], out int n) ? n : 500, ct); break;
            case "/crash": new Thread(() => throw new InvalidOperationException("demo crash (/crash)")) { IsBackground = true }.Start(); break;
            case ['/', ..]: state.Error($"unknown command {words[0]} (the demo knows only a few)"); break;
            default: state.AddMessage(state.CurrentBufferId, DemoData.Me, line, MessageKind.Own); break;
        }
        return Task.CompletedTask;
    }

    private static async Task ChatterAsync(ChatViewState state, double perSecond, CancellationToken ct)
    {
        if (perSecond <= 0) return;
        var random = new Random();
        var buffers = state.BufferIdsInOrder();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1 / perSecond));
        while (await timer.WaitForNextTickAsync(ct))
        {
            var id = buffers[random.Next(buffers.Count)];
            var sender = id.StartsWith('@') ? id[1..] : DemoData.Nicks[random.Next(DemoData.Nicks.Length)];
            state.AddMessage(id, sender, DemoData.Lines[random.Next(DemoData.Lines.Length)], encrypted: id.StartsWith('@'));
        }
    }

    private static async Task FloodAsync(ChatViewState state, int count, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        for (int i = 0; i < count && await timer.WaitForNextTickAsync(ct); i++)
            state.AddMessage(state.CurrentBufferId, DemoData.Nicks[i % DemoData.Nicks.Length], $"flood message {i + 1} of {count}");
    }
}

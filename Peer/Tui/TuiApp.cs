// Entry point of the terminal UI: wires keys, the render loop and submitted lines together and restores the terminal.
using System.Threading.Channels;
using P2PChat.Peer.Tui.Input;
using P2PChat.Peer.Tui.Rendering;
using P2PChat.Peer.Tui.State;
using P2PChat.Peer.Tui.Terminal;

namespace P2PChat.Peer.Tui;

/// <summary>
/// Three loops run until Ctrl-C, <see cref="ChatViewState.RequestQuit"/>, the end of key input or cancellation:
/// keys → <see cref="InputController"/> (changes state only); the <see cref="RenderLoop"/> (the only writer to the
/// terminal); submitted lines → <c>submitLine</c>, one at a time in order, so a slow command never blocks typing.
/// An exception from <c>submitLine</c> is shown as an error line in the current buffer. The alternate screen is
/// always left and console modes restored in a finally block.
/// </summary>
public static class TuiApp
{
    public static Task RunAsync(ChatViewState state, Func<string, Task> submitLine, CancellationToken ct) =>
        RunAsync(state, submitLine, TuiTerminal.ForConsole(), ct);

    public static async Task RunAsync(ChatViewState state, Func<string, Task> submitLine, TuiTerminal terminal, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var lines = Channel.CreateUnbounded<string>(new() { SingleReader = true });
        var controller = new InputController(state, line => lines.Writer.TryWrite(line));
        var renderer = new TerminalRenderer(terminal.Output);
        var loop = new RenderLoop(state, renderer, terminal.Size, terminal.Time);
        using var modes = terminal.OwnsConsole ? new ConsoleModes(state) : null;
        renderer.Enter();
        try
        {
            Task[] loops =
            [
                loop.RunAsync(stop.Token),
                ReadKeysAsync(terminal.Keys, controller, stop.Token),
                SubmitLinesAsync(lines.Reader, submitLine, state, stop.Token),
            ];
            var cancelled = Task.Delay(Timeout.Infinite, stop.Token);
            await Task.WhenAny([state.QuitRequested, cancelled, .. loops]).ConfigureAwait(false);
            stop.Cancel();
            await WhenAllIgnoringCancellation(loops).ConfigureAwait(false);
        }
        finally
        {
            renderer.Leave();
        }
    }

    private static async Task ReadKeysAsync(IKeySource keys, InputController controller, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested) controller.Handle(await keys.ReadKeyAsync(ct).ConfigureAwait(false));
        }
        catch (ChannelClosedException)
        {
            // no more input (stdin closed): end the UI like a quit
        }
    }

    private static async Task SubmitLinesAsync(ChannelReader<string> lines, Func<string, Task> submitLine, ChatViewState state, CancellationToken ct)
    {
        await foreach (var line in lines.ReadAllAsync(ct).ConfigureAwait(false))
        {
            try
            {
                await submitLine(line).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                state.Error(ex.Message);
            }
        }
    }

    private static async Task WhenAllIgnoringCancellation(Task[] tasks)
    {
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            foreach (var task in tasks)
                if (task.IsFaulted) await task.ConfigureAwait(false); // surface a real failure
        }
    }
}

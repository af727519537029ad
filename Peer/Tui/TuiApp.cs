// Entry point of the terminal UI: the Terminal.Gui main screen bound to the view state, submitted lines, the terminal restored.
using System.Threading.Channels;
using P2PChat.Peer.Tui.Screen;
using P2PChat.Peer.Tui.State;
using P2PChat.Peer.Tui.Terminal;
using Terminal.Gui.App;
using Terminal.Gui.Input;

namespace P2PChat.Peer.Tui;

/// <summary>
/// The UI thread runs Terminal.Gui's main loop with a <see cref="ChatWindow"/> until Ctrl-C,
/// <see cref="ChatViewState.RequestQuit"/> (/quit, SIGTERM) or cancellation. A state change wakes the loop's
/// <see cref="LoopPacer"/>, whose frame (at most one per <see cref="FrameInterval"/> in a burst) looks at the state's
/// change counter and marks the views that changed dirty, so network threads never touch views and a burst of
/// messages costs one frame; keys are applied at once. Submitted lines go to <c>submitLine</c> one at a time, in
/// order, off the UI thread, so a slow command never blocks typing; an exception from it becomes an error line.
/// The terminal is restored by <see cref="TerminalGuard"/> on every way out.
/// </summary>
public static class TuiApp
{
    /// <summary>How often the UI looks for state changes: at most this many frames a second from network activity.</summary>
    public static readonly TimeSpan FrameInterval = LoopPacer.FrameInterval;

    public static async Task RunAsync(ChatViewState state, Func<string, Task> submitLine, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var lines = Channel.CreateUnbounded<string>(new() { SingleReader = true });
        var submitting = SubmitLinesAsync(lines.Reader, submitLine, state, stop.Token);
        try
        {
            await UiThread.RunAsync(app => Run(app, state, line => lines.Writer.TryWrite(line), stop.Token), state.RequestQuit).ConfigureAwait(false);
        }
        finally
        {
            lines.Writer.TryComplete();
            stop.Cancel();
            try { await submitting.ConfigureAwait(false); }
            catch (OperationCanceledException) { }
        }
    }

    /// <summary>Runs the main screen on <paramref name="app"/>'s thread until a quit; returns 0.</summary>
    internal static int Run(IApplication app, ChatViewState state, Action<string> submit, CancellationToken ct)
    {
        using var window = new ChatWindow(state, submit);
        using var attached = Attach(app, window, state);
        using var registration = ct.Register(() => app.Invoke(() => app.RequestStop(window)));
        state.QuitRequested.ContinueWith(_ => app.Invoke(() => app.RequestStop(window)), TaskScheduler.Default);
        window.Input.SetFocus();
        app.Run(window);
        return 0;
    }

    /// <summary>
    /// Wires a window to an application: its keys before the focused field, and the frame (state changes shown,
    /// bells rung) run by the application's <see cref="LoopPacer"/> when a state change wakes it, or else by a
    /// <see cref="FrameInterval"/> timer. Disposing the result unhooks the state from the pacer.
    /// </summary>
    internal static IDisposable Attach(IApplication app, ChatWindow window, ChatViewState state)
    {
        app.Keyboard.KeyDown += (_, key) =>
        {
            if (app.TopRunnableView != window) return; // a dialog is open: its keys are its own
            if (window.HandleKey(key)) key.Handled = true;
        };
        void Frame()
        {
            window.Refresh();
            if (state.TakeBells() > 0) app.Driver?.WriteRaw("\a");
            if (state.TakeFullRedraw()) app.ClearScreenNextIteration = true;
        }
        if (UiThread.PacerOf(app) is not { } pacer)
        {
            app.AddTimeout(FrameInterval, () => { Frame(); return true; });
            return new Unhook(() => { });
        }
        pacer.Frame += Frame;
        state.Changes.Marked += pacer.StateChanged;
        pacer.StateChanged();
        return new Unhook(() =>
        {
            state.Changes.Marked -= pacer.StateChanged;
            pacer.Frame -= Frame;
        });
    }

    private sealed class Unhook(Action undo) : IDisposable
    {
        public void Dispose() => undo();
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
}

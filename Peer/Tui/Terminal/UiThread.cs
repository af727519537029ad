// Runs a Terminal.Gui application on a thread of its own (its main loop blocks) and hands back the result.
using Terminal.Gui.App;

namespace P2PChat.Peer.Tui.Terminal;

/// <summary>
/// One application per call: created, initialised (the real terminal, or <see cref="DriverOverride"/> in tests),
/// used by <c>body</c> on that thread, disposed; the <see cref="TerminalGuard"/> then restores the terminal
/// whatever happened. An exception in <c>body</c> faults the returned task after the restore.
/// </summary>
public static class UiThread
{
    /// <summary>The driver to use instead of the platform default (tests: the ANSI driver with DisableRealDriverIO=1).</summary>
    public static string? DriverOverride { get; set; }

    public static Task<T> RunAsync<T>(Func<IApplication, T> body, Action onSignal)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            var guard = TerminalGuard.Start(onSignal);
            try
            {
                T result;
                using (var app = Application.Create())
                {
                    app.Init(DriverOverride);
                    result = body(app);
                }
                guard.Dispose();
                done.SetResult(result);
            }
            catch (Exception ex)
            {
                guard.Dispose();
                done.SetException(ex);
            }
        }) { Name = "tui", IsBackground = true };
        thread.Start();
        return done.Task;
    }
}

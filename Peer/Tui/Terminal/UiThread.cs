// Runs a Terminal.Gui application on a thread of its own (its main loop blocks) and hands back the result.
using Terminal.Gui.App;

namespace P2PChat.Peer.Tui.Terminal;

/// <summary>
/// One application per call: created, initialised (the real terminal, or <see cref="DriverOverride"/> in tests),
/// used by <c>body</c> on that thread, disposed; the <see cref="TerminalGuard"/> then restores the terminal
/// whatever happened. An exception in <c>body</c> faults the returned task after the restore. On a real terminal the
/// application's loop is event-driven (<see cref="PacedApplication"/>, <see cref="LoopPacer"/>, found by
/// <see cref="PacerOf"/>); <c>P2PCHAT_TUI_POLLING=1</c> keeps Terminal.Gui's own polling loop (for comparison).
/// </summary>
public static class UiThread
{
    /// <summary>The driver to use instead of the platform default (tests: the ANSI driver with DisableRealDriverIO=1).</summary>
    public static string? DriverOverride { get; set; }

    /// <summary>The pacer driving an application's loop, or null when the toolkit's own loop runs it.</summary>
    public static LoopPacer? PacerOf(IApplication app) => Pacers.TryGetValue(app, out var pacer) ? pacer : null;

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IApplication, LoopPacer> Pacers = [];

    private static bool PollingRequested => Environment.GetEnvironmentVariable("P2PCHAT_TUI_POLLING") is "1" or "true";

    public static Task<T> RunAsync<T>(Func<IApplication, T> body, Action onSignal)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            var guard = TerminalGuard.Start(onSignal);
            try
            {
                T result;
                var pacer = new LoopPacer { Profile = LoopProfile.FromEnvironment() };
                var paced = DriverOverride is null && !PollingRequested ? PacedApplication.TryCreate(pacer, onSignal) : null;
                try
                {
                    using var app = paced ?? Application.Create();
                    if (paced is not null) Pacers.AddOrUpdate(app, pacer);
                    app.Init(DriverOverride);
                    result = body(app);
                }
                finally
                {
                    if (paced is not null)
                    {
                        PacedApplication.Uninstall();
                        pacer.Profile?.Write();
                    }
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

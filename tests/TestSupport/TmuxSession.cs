// Drives a program in a real terminal for tests: a tmux server of its own, one session at a fixed size.
using System.Diagnostics;
using Xunit;

namespace P2PChat.TestSupport;

/// <summary>
/// Each instance runs its own tmux server on a private socket (-L) with no user config (-f /dev/null), so tests
/// never touch anyone's tmux and disposing kills everything it started (kill-server) and removes the socket file, even after a failure.
/// tmux has no "pane changed" event, so <see cref="WaitForTextAsync"/> polls capture-pane until the text appears,
/// with a generous timeout as a safety net; nothing waits a fixed time assuming something happened.
/// </summary>
public sealed class TmuxSession : IAsyncDisposable
{
    private const string Session = "t";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    private readonly string _socket = $"p2pchat-test-{Environment.ProcessId}-{Guid.NewGuid():N}";
    private string? _socketPath;

    private TmuxSession()
    {
    }

    /// <summary>Skips the test when tmux is missing, or fails it when the environment variable CI is "true".</summary>
    public static void RequireTmux() => Require.That(IsInstalled(), "tmux is not installed (scripts/install-test-deps.sh installs it in CI)");

    /// <summary>Starts <paramref name="command"/> (run by the shell) in a detached session of the given size.</summary>
    public static async Task<TmuxSession> StartAsync(string command, int width, int height, CancellationToken ct, IReadOnlyDictionary<string, string>? environment = null)
    {
        var session = new TmuxSession();
        try
        {
            var args = new List<string> { "new-session", "-d", "-s", Session, "-x", width.ToString(), "-y", height.ToString() };
            foreach (var (key, value) in environment ?? new Dictionary<string, string>()) args.AddRange(["-e", $"{key}={value}"]);
            args.Add(command);
            await session.TmuxAsync(ct, [.. args]);
            session._socketPath = (await session.TmuxAsync(ct, "display-message", "-p", "#{socket_path}")).Trim();
            session.PanePid = int.Parse((await session.TmuxAsync(ct, "display-message", "-p", "#{pane_pid}")).Trim());
            // keep the pane (and its last screen) after the program exits, so a crash can still be captured
            await session.TmuxAsync(ct, "set-option", "-t", Session, "remain-on-exit", "on");
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends tmux key names, e.g. "Enter", "M-1", "C-c", "PPage", "F7".</summary>
    public Task SendKeysAsync(CancellationToken ct, params string[] keys) => TmuxAsync(ct, ["send-keys", "-t", Session, .. keys]);

    /// <summary>Types <paramref name="text"/> literally.</summary>
    public Task TypeAsync(string text, CancellationToken ct) => TmuxAsync(ct, "send-keys", "-t", Session, "-l", text);

    /// <summary>The visible screen as text; with <paramref name="escapes"/> including colour and attribute escapes.</summary>
    public Task<string> CaptureAsync(CancellationToken ct, bool escapes = false) =>
        TmuxAsync(ct, escapes ? ["capture-pane", "-p", "-e", "-t", Session] : ["capture-pane", "-p", "-t", Session]);

    public Task ResizeAsync(int width, int height, CancellationToken ct) =>
        TmuxAsync(ct, "resize-window", "-t", Session, "-x", width.ToString(), "-y", height.ToString());

    /// <summary>A tmux format expanded for the pane, e.g. "#{keypad_flag}" (the modes the program left set).</summary>
    public async Task<string> DisplayAsync(string format, CancellationToken ct) =>
        (await TmuxAsync(ct, "display-message", "-p", "-t", Session, format)).Trim();

    /// <summary>The pane's current size as tmux sees it.</summary>
    public async Task<(int Width, int Height)> SizeAsync(CancellationToken ct)
    {
        var parts = (await TmuxAsync(ct, "display-message", "-p", "-t", Session, "#{pane_width} #{pane_height}")).Trim().Split(' ');
        return (int.Parse(parts[0]), int.Parse(parts[1]));
    }

    /// <summary>Waits until the program in the pane has exited (the pane stays, see remain-on-exit).</summary>
    public Task WaitForExitAsync(CancellationToken ct, TimeSpan? timeout = null) =>
        PollAsync(async () => (await TmuxAsync(ct, "display-message", "-p", "-t", Session, "#{pane_dead}")).Trim() == "1",
            "the program did not exit", ct, timeout, () => CaptureAsync(ct));

    /// <summary>Polls the screen until <paramref name="condition"/> holds; fails with the last screen after <paramref name="timeout"/>.</summary>
    public async Task<string> WaitForAsync(Func<string, bool> condition, CancellationToken ct, TimeSpan? timeout = null)
    {
        var screen = "";
        await PollAsync(async () => condition(screen = await CaptureAsync(ct)), "screen did not reach the expected state", ct, timeout, () => Task.FromResult(screen));
        return screen;
    }

    /// <summary>Polls every 50 ms until <paramref name="done"/>; fails after the timeout (20 s by default) with <paramref name="what"/>.</summary>
    private static async Task PollAsync(Func<Task<bool>> done, string what, CancellationToken ct, TimeSpan? timeout, Func<Task<string>> lastScreen)
    {
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(20);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (!await done())
        {
            if (deadline.Elapsed > limit) Assert.Fail($"{what} in {limit.TotalSeconds} s:\n{await lastScreen()}");
            await poll.WaitForNextTickAsync(ct);
        }
    }

    public Task<string> WaitForTextAsync(string text, CancellationToken ct, TimeSpan? timeout = null) =>
        WaitForAsync(screen => screen.Contains(text, StringComparison.Ordinal), ct, timeout);

    /// <summary>The process tmux started in the pane (the shell, or the program when the command execs it).</summary>
    public int PanePid { get; private set; }

    /// <summary>Kills the tmux server, as a closed terminal window would: the pane's program gets SIGHUP.</summary>
    public async Task HangUpAsync()
    {
        try
        {
            await TmuxAsync(CancellationToken.None, "kill-server");
        }
        catch (InvalidOperationException)
        {
            // the server already exited with its last session
        }
    }

    /// <summary>Waits until the pane's process has exited; false if it is still running after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForPaneExitAsync(TimeSpan timeout)
    {
        Process process;
        try
        {
            process = Process.GetProcessById(PanePid);
        }
        catch (ArgumentException)
        {
            return true;   // already gone
        }
        using (process)
        {
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cts.Token);
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
    }

    /// <summary>Hangs up, waits for the pane's program to end (killing it if it outlives the hang-up) and removes the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        await HangUpAsync();
        if (PanePid > 0 && !await WaitForPaneExitAsync(TimeSpan.FromSeconds(15)))
        {
            try
            {
                using var stray = Process.GetProcessById(PanePid);
                stray.Kill(entireProcessTree: true);
            }
            catch (ArgumentException)
            {
                // ended meanwhile
            }
        }
        if (_socketPath is not null) File.Delete(_socketPath); // tmux leaves the socket file behind
    }

    private static bool IsInstalled()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("tmux", "-V") { RedirectStandardOutput = true, RedirectStandardError = true });
            process!.WaitForExit(10_000);
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private async Task<string> TmuxAsync(CancellationToken ct, params string[] args)
    {
        var info = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["-L", _socket, "-f", "/dev/null", .. args]) info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start tmux");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(CommandTimeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        if (process.ExitCode != 0) throw new InvalidOperationException($"tmux {string.Join(' ', args)} failed: {(await stderr).Trim()}");
        return await stdout;
    }
}

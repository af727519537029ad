// Puts the terminal back as it was on every way out: normal exit, Ctrl-C, /quit, SIGTERM/SIGHUP, a crash.
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace P2PChat.Peer.Tui.Terminal;

/// <summary>
/// At start it saves the line discipline (<c>stty -g</c>). <see cref="Restore"/> (idempotent, thread-safe) first
/// writes the resets for what Terminal.Gui switches on and does not always switch off — cursor-key application
/// mode (<c>ESC[?1l</c>), keypad application mode (<c>ESC&gt;</c>), mouse tracking (1000/1002/1003/1006/1015),
/// bracketed paste (2004), synchronized output (2026), colours (<c>ESC[0m</c>), a hidden cursor
/// (<c>ESC[?25h</c>), the alternate screen (<c>ESC[?1049l</c>) — and then puts the saved <c>stty</c> settings
/// back. It runs from the UI thread's finally block, from ProcessExit and from an unhandled exception on any thread.
/// </summary>
public sealed class TerminalGuard : IDisposable
{
    /// <summary>The escape sequences <see cref="Restore"/> writes, in order.</summary>
    public const string ResetSequence =
        "\e[?1l\e>\e[?1000l\e[?1002l\e[?1003l\e[?1006l\e[?1015l\e[?2004l\e[?2026l\e[0m\e[?25h\e[?1049l";

    private readonly string? _savedStty;
    private readonly List<PosixSignalRegistration> _signals = [];
    private int _restored;

    private TerminalGuard(Action onSignal)
    {
        _savedStty = Stty("-g")?.Trim();
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        AppDomain.CurrentDomain.UnhandledException += OnUnhandled;
        foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGHUP })
            _signals.Add(PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                onSignal();
            }));
    }

    /// <summary>Saves the terminal's settings (when stdin is a terminal) and hooks the exit paths.</summary>
    public static TerminalGuard Start(Action onSignal) => new(onSignal);

    /// <summary>True when the real terminal is used (not the tests' headless driver, DisableRealDriverIO=1).</summary>
    public static bool RealTerminal => Environment.GetEnvironmentVariable("DisableRealDriverIO") is not ("1" or "true");

    public void Restore()
    {
        if (Interlocked.Exchange(ref _restored, 1) == 1 || !RealTerminal) return;
        try
        {
            using var stdout = Console.OpenStandardOutput();
            stdout.Write(System.Text.Encoding.ASCII.GetBytes(ResetSequence));
            stdout.Flush();
        }
        catch (IOException)
        {
            // stdout is gone: nothing to restore on it
        }
        if (!string.IsNullOrEmpty(_savedStty)) Stty(_savedStty);
    }

    public void Dispose()
    {
        Restore();
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        AppDomain.CurrentDomain.UnhandledException -= OnUnhandled;
        foreach (var signal in _signals) signal.Dispose();
    }

    private void OnProcessExit(object? sender, EventArgs e) => Restore();

    private void OnUnhandled(object? sender, UnhandledExceptionEventArgs e) => Restore();

    /// <summary>Runs stty on our own terminal (stdin inherited); null when stdin is not a terminal or stty is missing.</summary>
    private static string? Stty(string arguments)
    {
        if (OperatingSystem.IsWindows() || Console.IsInputRedirected || !RealTerminal) return null;
        try
        {
            var info = new ProcessStartInfo("stty") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var word in arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)) info.ArgumentList.Add(word);
            using var process = Process.Start(info);
            if (process is null) return null;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit(5000);
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}

// Puts the terminal back as it was on every way out: normal exit, Ctrl-C, /quit, SIGTERM/SIGHUP, a crash.
using System.Runtime.InteropServices;

namespace P2PChat.Peer.Tui.Terminal;

/// <summary>
/// At start it saves the terminal's settings (what <c>stty -g</c> shows, via tcgetattr). <see cref="Restore"/>
/// (idempotent, thread-safe) puts them back (tcsetattr) and writes the resets for what Terminal.Gui switches on
/// and does not always switch off, in this order: the alternate screen (<c>ESC[?1049l</c>; leaving it restores
/// the cursor saved on entry, so it goes first), colours (<c>ESC[0m</c>), cursor-key application mode
/// (<c>ESC[?1l</c>), keypad application mode (<c>ESC&gt;</c>), mouse tracking (1000/1002/1003/1006/1015),
/// bracketed paste (2004), synchronized output (2026), and last a visible cursor (<c>ESC[?25h</c>).
/// It runs from the UI thread's finally block, from ProcessExit and from an unhandled exception on any thread
/// (which then also silences stdout);
/// SIGTERM, SIGINT and SIGHUP ask the UI to quit so the same path runs; after a hang-up the process exits within
/// <see cref="HangupGrace"/> even if the UI does not (its terminal is gone).
/// </summary>
public sealed class TerminalGuard : IDisposable
{
    /// <summary>The escape sequences <see cref="Restore"/> writes, in order.</summary>
    public const string ResetSequence =
        "\e[?1049l\e[0m\e[?1l\e>\e[?1000l\e[?1002l\e[?1003l\e[?1006l\e[?1015l\e[?2004l\e[?2026l\e[?25h";

    private readonly byte[]? _savedTermios;
    private readonly List<PosixSignalRegistration> _signals = [];
    private int _restored;

    private TerminalGuard(Action onSignal)
    {
        _savedTermios = SaveTermios();
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        AppDomain.CurrentDomain.UnhandledException += OnUnhandled;
        foreach (var quit in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT }) // SIGINT: `kill -INT`; the Ctrl-C key arrives as a key in raw mode
        {
            _signals.Add(PosixSignalRegistration.Create(quit, context =>
            {
                context.Cancel = true;
                onSignal();
            }));
        }
        _signals.Add(PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            onSignal();
            ExitAfterHangupGrace();
        }));
    }

    /// <summary>How long a hung-up UI may take to quit on its own before the process exits anyway.</summary>
    public static readonly TimeSpan HangupGrace = TimeSpan.FromSeconds(3);

    /// <summary>
    /// The terminal is gone (SIGHUP: tmux killed, ssh dropped), so nobody can see or type into the UI any more. It is
    /// asked to quit like on SIGTERM, but Terminal.Gui's input loop spins on the dead terminal and may never let it:
    /// after <see cref="HangupGrace"/> the process exits (code 129, 128 + SIGHUP) whatever the UI is doing. Messages
    /// are already in history.db (written before they are shown), and the server sees the connection close.
    /// </summary>
    private static void ExitAfterHangupGrace() =>
        new Thread(() =>
        {
            Thread.Sleep(HangupGrace);
            Environment.Exit(129);
        }) { IsBackground = true, Name = "hangup-exit" }.Start();

    /// <summary>Saves the terminal's settings (when stdin is a terminal) and hooks the exit paths.</summary>
    public static TerminalGuard Start(Action onSignal) => new(onSignal);

    /// <summary>True when the real terminal is used (not the tests' headless driver, DisableRealDriverIO=1).</summary>
    public static bool RealTerminal => Environment.GetEnvironmentVariable("DisableRealDriverIO") is not ("1" or "true");

    public void Restore()
    {
        if (Interlocked.Exchange(ref _restored, 1) == 1 || !RealTerminal) return;
        if (_savedTermios is not null) RestoreTermios(_savedTermios);
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
    }

    public void Dispose()
    {
        Restore();
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        AppDomain.CurrentDomain.UnhandledException -= OnUnhandled;
        foreach (var signal in _signals) signal.Dispose();
    }

    private void OnProcessExit(object? sender, EventArgs e) => Restore();

    /// <summary>
    /// A crash: restore, then point stdout at /dev/null, because Terminal.Gui's threads keep drawing until the
    /// runtime aborts and a late frame would hide the cursor again. The crash report still goes to stderr.
    /// </summary>
    private void OnUnhandled(object? sender, UnhandledExceptionEventArgs e)
    {
        Restore();
        if (!RealTerminal || OperatingSystem.IsWindows()) return;
        int devNull = open("/dev/null", OpenWriteOnly);
        if (devNull >= 0) _ = dup2(devNull, 1);
    }

    /// <summary>
    /// The terminal's settings as opaque bytes (tcgetattr on stdin), or null when stdin is not a terminal. Done
    /// in-process on purpose: when a child process such as stty exits, .NET re-initialises the console and writes
    /// the keypad-transmit sequence again, undoing the reset.
    /// </summary>
    private static byte[]? SaveTermios()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() || !RealTerminal || isatty(0) != 1) return null;
        var buffer = new byte[TermiosBufferSize];
        return tcgetattr(0, buffer) == 0 ? buffer : null;
    }

    private static void RestoreTermios(byte[] saved) => _ = tcsetattr(0, TcsaDrain, saved);

    // struct termios is 60 bytes on Linux x64/arm64 and 72 on macOS: a larger buffer holds either, copied back verbatim.
    private const int TermiosBufferSize = 256;
    private const int TcsaDrain = 1;

    private const int OpenWriteOnly = 1;

    [DllImport("libc", SetLastError = true)]
    private static extern int isatty(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int open([MarshalAs(UnmanagedType.LPStr)] string path, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int dup2(int oldFd, int newFd);

    [DllImport("libc", SetLastError = true)]
    private static extern int tcgetattr(int fd, byte[] termios);

    [DllImport("libc", SetLastError = true)]
    private static extern int tcsetattr(int fd, int optionalActions, byte[] termios);
}

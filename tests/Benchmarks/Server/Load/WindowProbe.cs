// Runs an operator's command (perf stat, perf record, strace) on the server process during the measured PM window.
using System.Diagnostics;
using System.Globalization;

namespace P2PChat.Benchmarks.Server.Load;

/// <summary>
/// <c>LOAD_WINDOW_PROBE="perf stat -e 'syscalls:sys_enter_*' -p {pid} -- sleep 10"</c>: started through <c>/bin/sh</c> when
/// the measured window starts, with <c>{pid}</c> replaced by the server's process id; its output goes to this process's
/// stderr and the window waits for it at the end. Its length should be within the window (<c>--seconds</c>), so what it
/// counts divided by <c>rate_per_s</c> × its length is a figure per message. Unset: nothing runs.
/// </summary>
internal static class WindowProbe
{
    public static Process? Start(int pid)
    {
        var command = Environment.GetEnvironmentVariable("LOAD_WINDOW_PROBE");
        if (string.IsNullOrWhiteSpace(command)) return null;
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command.Replace("{pid}", pid.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        return Process.Start(start);
    }
}

// Optional in-process timing of the event-driven loop (P2PCHAT_TUI_PROFILE=FILE): key-to-screen latency and frame cost.
using System.Diagnostics;
using System.Globalization;

namespace P2PChat.Peer.Tui.Terminal;

/// <summary>
/// Off unless <c>P2PCHAT_TUI_PROFILE</c> names a file. Then it measures, with <see cref="Stopwatch"/> timestamps:
/// <list type="bullet">
/// <item>key to screen: from the input thread reading bytes from the terminal to the end of the first draw after
///   them (Terminal.Gui has written the frame to the terminal);</item>
/// <item>frame: from the loop waking up to the end of that iteration's draw (state recomposed, views drawn,
///   output written), for iterations that drew.</item>
/// </list>
/// and writes one line when the UI ends: <c>iterations=N draws=N key_first=…ms key_n=N key_p50=…ms key_p99=…ms
/// key_max=…ms frame_p50=…ms frame_p99=…ms frame_total=…ms</c>; the first key also pays for compiling the input
/// path, so it is reported on its own and the key figures are over the keys after it. This is how the latency of the UI itself is told apart from the terminal's and a
/// busy machine's (scripts/bench-tui.sh prints it next to the latency measured through tmux).
/// </summary>
public sealed class LoopProfile
{
    private readonly string _path;
    private readonly List<double> _keys = [];
    private readonly List<double> _frames = [];
    private long _pendingInput;
    private long _iterationStart;
    private long _iterations;

    private LoopProfile(string path) => _path = path;

    /// <summary>The profile asked for by the environment, or null.</summary>
    public static LoopProfile? FromEnvironment() =>
        Environment.GetEnvironmentVariable("P2PCHAT_TUI_PROFILE") is { Length: > 0 } path ? new LoopProfile(path) : null;

    /// <summary>Input thread: bytes were read (only the first read before a draw counts).</summary>
    public void InputRead() => Interlocked.CompareExchange(ref _pendingInput, Stopwatch.GetTimestamp(), 0);

    /// <summary>UI thread: the loop woke up for an iteration.</summary>
    public void IterationStarted()
    {
        _iterationStart = Stopwatch.GetTimestamp();
        _iterations++;
    }

    /// <summary>UI thread: Terminal.Gui finished drawing and writing a frame.</summary>
    public void Drawn()
    {
        long now = Stopwatch.GetTimestamp();
        lock (_frames)
        {
            if (_iterationStart != 0) _frames.Add(Stopwatch.GetElapsedTime(_iterationStart, now).TotalMilliseconds);
            long input = Interlocked.Exchange(ref _pendingInput, 0);
            if (input != 0) _keys.Add(Stopwatch.GetElapsedTime(input, now).TotalMilliseconds);
        }
    }

    /// <summary>Every key after the first (the first also pays for compiling the input path: reported on its own).</summary>
    private List<double> Later => [.. _keys.Skip(1)];

    /// <summary>Writes the summary line (see the class comment).</summary>
    public void Write()
    {
        string line;
        lock (_frames)
        {
            line = string.Create(CultureInfo.InvariantCulture,
                $"iterations={_iterations} draws={_frames.Count} key_first={(_keys.Count > 0 ? _keys[0] : 0):F1}ms key_n={Math.Max(0, _keys.Count - 1)} " +
                $"key_p50={Percentile(Later, 0.50):F1}ms key_p99={Percentile(Later, 0.99):F1}ms key_max={(Later.Count > 0 ? Later.Max() : 0):F1}ms frame_p50={Percentile(_frames, 0.50):F1}ms frame_p99={Percentile(_frames, 0.99):F1}ms " +
                $"frame_total={_frames.Sum():F0}ms");
        }
        File.WriteAllText(_path, line + "\n");
    }

    internal static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0) return 0;
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * p))];
    }
}

// Decides when Terminal.Gui's main loop runs its next iteration, so an idle UI sleeps instead of polling.
using Terminal.Gui.App;

namespace P2PChat.Peer.Tui.Terminal;

/// <summary>
/// Terminal.Gui 2.5 runs its main loop at a fixed rate (<see cref="Application.MaximumIterationsPerSecond"/>, 25 a
/// second) whether or not anything happened, and its input thread polls the terminal every 20 ms; each of those
/// wake-ups goes through a timer and a thread-pool worker, and on a busy machine the workers' spin-waiting costs more
/// than the drawing. The pacer turns the loop event-driven: the loop's rate limit is lifted and
/// <see cref="WaitForWork"/>, called from the application's <c>Iteration</c> event at the start of every
/// iteration, blocks until there is something to do:
/// <list type="bullet">
/// <item>input (<see cref="InputArrived"/>, from <see cref="WakingInput"/>) or posted work and resizes
///   (<see cref="Wake"/>): run at once;</item>
/// <item>a state change (<see cref="StateChanged"/>): run at most once per <see cref="FrameInterval"/>, so a burst
///   of messages costs one frame;</item>
/// <item>for <see cref="HotWindow"/> after input, every <see cref="HotTick"/> (Terminal.Gui releases a lone Esc
///   after 50 ms without the rest of a sequence);</item>
/// <item>otherwise at the next Terminal.Gui timer, and at the latest after <see cref="IdleCheck"/> (the clock's
///   minute, the end of a buzz flash).</item>
/// </list>
/// Signals may come from any thread; <see cref="WaitForWork"/> runs on the UI thread only.
/// </summary>
public sealed class LoopPacer
{
    /// <summary>
    /// During a burst of network activity, at most one frame per interval (10 a second); the first change after a
    /// quiet interval and every key are shown at once. Nobody reads 100 messages a second, and each frame of a
    /// scrolling message view costs Terminal.Gui a few milliseconds.
    /// </summary>
    public static readonly TimeSpan FrameInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest the loop sleeps with nothing to do.</summary>
    public static readonly TimeSpan IdleCheck = TimeSpan.FromMilliseconds(500);

    /// <summary>How long after input the loop keeps iterating every <see cref="HotTick"/>.</summary>
    public static readonly TimeSpan HotWindow = TimeSpan.FromMilliseconds(150);

    public static readonly TimeSpan HotTick = TimeSpan.FromMilliseconds(20);

    private readonly TimeProvider _time;
    private readonly ManualResetEventSlim _signal = new(false, spinCount: 0);
    private volatile bool _urgent;
    private volatile bool _changed;
    private long _lastFrame = long.MinValue / 2;
    private long _lastInput = long.MinValue / 2;
    private long _iterations;

    public LoopPacer(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    /// <summary>Timing of keys and frames, when asked for (<see cref="LoopProfile"/>).</summary>
    public LoopProfile? Profile { get; init; }

    /// <summary>Runs on the UI thread after each wait: the frame (state changes shown, bells rung).</summary>
    public event Action? Frame;

    /// <summary>Iterations run so far (for the profile counters).</summary>
    public long Iterations => Interlocked.Read(ref _iterations);

    public void InputArrived()
    {
        Profile?.InputRead();
        Interlocked.Exchange(ref _lastInput, _time.GetTimestamp());
        Wake();
    }

    public void Wake()
    {
        _urgent = true;
        _signal.Set();
    }

    public void StateChanged()
    {
        if (_changed) return;
        _changed = true;
        _signal.Set();
    }

    /// <summary>How long to sleep before the next iteration (zero: run now); pure apart from the flags it reads.</summary>
    internal TimeSpan Delay(long now, TimeSpan? nextTimer)
    {
        if (_urgent) return TimeSpan.Zero;
        var delay = IdleCheck;
        if (_changed) delay = Min(delay, FrameInterval - _time.GetElapsedTime(Interlocked.Read(ref _lastFrame), now));
        if (_time.GetElapsedTime(Interlocked.Read(ref _lastInput), now) < HotWindow) delay = Min(delay, HotTick);
        if (nextTimer is { } timer) delay = Min(delay, timer);
        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
    }

    /// <summary>Blocks the UI thread until the next iteration is due (see the class comment), then runs <see cref="Frame"/>.</summary>
    public void WaitForWork(Func<TimeSpan?> nextTimer)
    {
        while (true)
        {
            var delay = Delay(_time.GetTimestamp(), nextTimer());
            if (delay <= TimeSpan.Zero) break;
            if (!_signal.Wait(delay)) break;
            _signal.Reset();
        }
        _urgent = false;
        if (_changed)
        {
            _changed = false;
            Interlocked.Exchange(ref _lastFrame, _time.GetTimestamp());
        }
        Interlocked.Increment(ref _iterations);
        Profile?.IterationStarted();
        Frame?.Invoke();
    }

    /// <summary>Time until Terminal.Gui's next timer (an <c>Invoke</c> is a timer due now), or null without timers.</summary>
    public static TimeSpan? NextTimer(IApplication app) =>
        app.TimedEvents switch
        {
            TimedEvents timers => timers.CheckTimers(out int waitMs) ? TimeSpan.FromMilliseconds(Math.Max(0, waitMs)) : null,
            { Timeouts.Count: > 0 } => HotTick, // another implementation: look again soon
            _ => null,
        };

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}

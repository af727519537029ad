// The event-driven main loop's decisions: when the next iteration runs after input, posted work, state changes and timers.
using P2PChat.Peer.Tui.Terminal;
using Xunit;
using Clock = P2PChat.TestSupport.ManualTimeProvider;

namespace P2PChat.Peer.Tests.Tui.Terminal;

public sealed class LoopPacerTests
{
    private readonly Clock _clock = new();
    private readonly LoopPacer _pacer;

    public LoopPacerTests() => _pacer = new LoopPacer(_clock);

    private TimeSpan Delay(TimeSpan? nextTimer = null) => _pacer.Delay(_clock.GetTimestamp(), nextTimer);

    /// <summary>One iteration whose wait is already over (the delay is zero), as the loop runs it.</summary>
    private void Iterate() => _pacer.WaitForWork(() => null);

    [Fact]
    public void With_nothing_to_do_the_loop_sleeps_the_idle_check_or_until_the_next_timer()
    {
        Assert.Equal(LoopPacer.IdleCheck, Delay());
        Assert.Equal(TimeSpan.FromMilliseconds(120), Delay(TimeSpan.FromMilliseconds(120)));
        Assert.Equal(LoopPacer.IdleCheck, Delay(TimeSpan.FromSeconds(30)));
        Assert.Equal(TimeSpan.Zero, Delay(TimeSpan.Zero)); // an Invoke is a timer due now
    }

    [Fact]
    public void Input_and_posted_work_run_the_next_iteration_at_once()
    {
        _pacer.InputArrived();
        Assert.Equal(TimeSpan.Zero, Delay());
        Iterate();
        _pacer.Wake();
        Assert.Equal(TimeSpan.Zero, Delay());
    }

    [Fact]
    public void After_input_the_loop_keeps_ticking_for_a_while_so_a_lone_escape_is_released()
    {
        _pacer.InputArrived();
        Iterate();
        Assert.Equal(LoopPacer.HotTick, Delay());
        _clock.Advance(LoopPacer.HotWindow);
        Assert.Equal(LoopPacer.IdleCheck, Delay());
    }

    [Fact]
    public void A_burst_of_state_changes_costs_one_frame_per_frame_interval()
    {
        _pacer.StateChanged();
        Assert.Equal(TimeSpan.Zero, Delay()); // the first change after a quiet spell is shown at once
        int frames = 0;
        _pacer.Frame += () => frames++;
        Iterate();

        _clock.Advance(TimeSpan.FromMilliseconds(10));
        for (int i = 0; i < 5; i++) _pacer.StateChanged();
        Assert.Equal(LoopPacer.FrameInterval - TimeSpan.FromMilliseconds(10), Delay());
        _clock.Advance(LoopPacer.FrameInterval);
        Assert.Equal(TimeSpan.Zero, Delay());
        Iterate();
        Assert.Equal(2, frames);
        Assert.Equal(LoopPacer.IdleCheck, Delay()); // the five changes were shown by that one frame
    }

    [Fact]
    public void The_toolkits_internal_constructor_that_takes_a_driver_factory_is_there()
    {
        // The event-driven loop needs it; if a Terminal.Gui update removes it the UI falls back to polling, so say so.
        Assert.NotNull(PacedApplication.Constructor());
    }
}

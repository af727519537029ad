// The one loop that draws: waits for a change, composes a frame under the state's lock, writes it, at most N fps.
using P2PChat.Peer.Tui.State;
using P2PChat.Peer.Tui.Terminal;

namespace P2PChat.Peer.Tui.Rendering;

/// <summary>
/// Loop: wait until the state changed or <see cref="PollInterval"/> passed → poll the terminal size → if the
/// state version, the size, the clock minute or the buzz flash changed, compose and draw (a full repaint after a
/// resize or Ctrl-L) → wait at least <see cref="MinFrameInterval"/> before the next frame. A burst of changes
/// therefore costs one frame per interval, and an idle screen costs a size check every poll.
/// </summary>
public sealed class RenderLoop(ChatViewState state, TerminalRenderer renderer, ITerminalSize size, TimeProvider time)
{
    public TimeSpan MinFrameInterval { get; init; } = TimeSpan.FromSeconds(1.0 / 60);
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Frames drawn so far.</summary>
    public long FramesDrawn { get; private set; }

    private long _drawnVersion = -1;
    private (int, int) _drawnSize;
    private (bool Flashing, long Minute) _drawnClock;

    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            if (DrawIfNeeded()) await Task.Delay(MinFrameInterval, time, ct).ConfigureAwait(false);
            await WaitForChangeAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>Draws one frame if anything visible changed; true when it drew.</summary>
    public bool DrawIfNeeded()
    {
        var currentSize = size.Current;
        var now = time.GetUtcNow();
        long version = state.Changes.Version;
        Frame frame;
        bool full;
        lock (state.Gate)
        {
            var clock = (state.Status.IsFlashing(now), now.ToUnixTimeSeconds() / 60);
            bool resized = currentSize != _drawnSize;
            if (version == _drawnVersion && !resized && clock == _drawnClock) return false;
            frame = FrameComposer.ComposeLocked(state, currentSize.Item1, currentSize.Item2);
            full = resized || state.FullRedrawRequested;
            state.FullRedrawRequested = false;
            (_drawnVersion, _drawnSize, _drawnClock) = (version, currentSize, clock);
        }
        renderer.Draw(frame, full, state.TakeBells());
        FramesDrawn++;
        return true;
    }

    private async Task WaitForChangeAsync(CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(PollInterval, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            await state.Changes.WaitAsync(Timeout.InfiniteTimeSpan, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // poll interval elapsed: check the size and the clock
        }
    }
}

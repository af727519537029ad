// Wakes the render loop when state changed: a version counter plus an async auto-reset event.
namespace P2PChat.Peer.Tui.State;

/// <summary>
/// Any number of <see cref="Mark"/> calls between two waits collapse into one wake-up, so a burst of
/// 100 messages costs one frame, not 100.
/// </summary>
internal sealed class ChangeSignal
{
    private readonly SemaphoreSlim _wake = new(0, 1);
    private long _version;

    public long Version => Interlocked.Read(ref _version);

    /// <summary>Raised on the marking thread after each change (the UI loop's pacer listens).</summary>
    public event Action? Marked;

    public void Mark()
    {
        Interlocked.Increment(ref _version);
        Marked?.Invoke();
        try
        {
            if (_wake.CurrentCount == 0) _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // another thread released first: already awake
        }
    }

    /// <summary>Waits for a change or the timeout; true when woken by a change.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _wake.WaitAsync(timeout, ct);
}

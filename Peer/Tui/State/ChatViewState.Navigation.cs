// The view state's key-driven side: switching buffers (with their drafts), scrolling, toggling the member list.
namespace P2PChat.Peer.Tui.State;

public sealed partial class ChatViewState
{
    public void SwitchTo(string bufferId) => Switch(() =>
    {
        if (Buffers.Find(bufferId) is { } buffer) Buffers.SwitchTo(buffer);
    });

    /// <summary>Switches to the buffer at 0-based list position <paramref name="index"/> (Alt-1 is 0).</summary>
    public void SwitchToIndex(int index) => Switch(() => Buffers.SwitchToIndex(index));

    public void NextBuffer() => Switch(() => Buffers.SwitchRelative(1));

    public void PreviousBuffer() => Switch(() => Buffers.SwitchRelative(-1));

    public void NextActivity() => Switch(() => Buffers.SwitchToNextActivity());

    public void ToggleMembers() => Mutate(() => ShowMembers = !ShowMembers);

    /// <summary>Scrolls the current buffer by whole pages: positive is up (older), negative is down.</summary>
    public void ScrollPages(int pages) => Mutate(() =>
    {
        var (width, height) = Viewport;
        int page = Math.Max(1, height - 1);
        ScrollTo(ScrollMath.EffectiveOffset(Buffers.Current, width) + pages * page);
    });

    /// <summary>Scrolls the current buffer by display lines (the mouse wheel): positive is up (older).</summary>
    public void ScrollLines(int lines) => Mutate(() =>
        ScrollTo(ScrollMath.EffectiveOffset(Buffers.Current, Viewport.TextWidth) + lines));

    public void ScrollToTop() => Mutate(() => ScrollTo(int.MaxValue / 2));

    public void ScrollToBottom() => Mutate(() => ScrollMath.Pin(Buffers.Current, 0));

    private void ScrollTo(int wanted)
    {
        var (width, height) = Viewport;
        ScrollMath.Pin(Buffers.Current, ScrollMath.Clamp(Buffers.Current, wanted, width, height));
    }

    /// <summary>
    /// Runs a change of the current buffer (caller may or may not hold the lock) and, when the current buffer
    /// changed, parks the input line with the buffer left and brings back the draft of the one arrived at.
    /// The input history is global and not touched.
    /// </summary>
    private void Switch(Action change) => Mutate(() =>
    {
        var before = Buffers.Current;
        change();
        DraftSwap.Apply(Input, before, Buffers.Current);
    });
}

// The view state's key-driven side: switching buffers, scrolling, toggling the member list.
namespace P2PChat.Peer.Tui.State;

public sealed partial class ChatViewState
{
    public void SwitchTo(string bufferId) => Mutate(() =>
    {
        if (Buffers.Find(bufferId) is { } buffer) Buffers.SwitchTo(buffer);
    });

    /// <summary>Switches to the buffer at 0-based list position <paramref name="index"/> (Alt-1 is 0).</summary>
    public void SwitchToIndex(int index) => Mutate(() => Buffers.SwitchToIndex(index));

    public void NextBuffer() => Mutate(() => Buffers.SwitchRelative(1));

    public void PreviousBuffer() => Mutate(() => Buffers.SwitchRelative(-1));

    public void NextActivity() => Mutate(() => Buffers.SwitchToNextActivity());

    public void ToggleMembers() => Mutate(() => ShowMembers = !ShowMembers);

    /// <summary>Scrolls the current buffer by whole pages: positive is up (older), negative is down.</summary>
    public void ScrollPages(int pages) => Mutate(() =>
    {
        var (width, height) = Viewport;
        int page = Math.Max(1, height - 1);
        ScrollTo(ScrollMath.EffectiveOffset(Buffers.Current, width) + pages * page);
    });

    public void ScrollToTop() => Mutate(() => ScrollTo(int.MaxValue / 2));

    public void ScrollToBottom() => Mutate(() => ScrollMath.Pin(Buffers.Current, 0));

    private void ScrollTo(int wanted)
    {
        var (width, height) = Viewport;
        ScrollMath.Pin(Buffers.Current, ScrollMath.Clamp(Buffers.Current, wanted, width, height));
    }
}

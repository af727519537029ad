// Moves the unsent input line between buffers when the current buffer changes: park the old, restore the new.
namespace P2PChat.Peer.Tui.State;

/// <summary>
/// The line's text and cursor go into the buffer left (<see cref="ChatBuffer.Draft"/>); the buffer arrived at
/// gives its draft back (empty if it had none) and forgets it. A pending Tab-completion cycle and a walk
/// through the (global) history end. A buffer that
/// was closed simply loses its draft. Caller holds the view state's lock.
/// </summary>
internal static class DraftSwap
{
    public static void Apply(InputState input, ChatBuffer from, ChatBuffer to)
    {
        if (from == to) return;
        from.Draft = input.Line;
        input.Replace(to.Draft.Text, to.Draft.Cursor);
        to.Draft = InputDraft.Empty;
        input.Completer.Reset();
        input.History.StopBrowsing();
    }
}

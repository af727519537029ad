// Text typed into the input line but not sent, parked with its buffer while another buffer is shown.
namespace P2PChat.Peer.Tui.State;

/// <param name="Text">the unsent line.</param>
/// <param name="Cursor">the char index of the cursor in <paramref name="Text"/>.</param>
internal readonly record struct InputDraft(string Text, int Cursor)
{
    public static readonly InputDraft Empty = new("", 0);
}

// One line of conversation as the TUI shows it.
namespace P2PChat.Peer.Tui.State;

/// <param name="Time">When it was sent (shown in the local time zone of the injected TimeProvider).</param>
/// <param name="Sender">Nick of the sender; for notices and errors a short tag.</param>
/// <param name="Text">Sanitised text; may contain '\n'.</param>
/// <param name="Kind">Styling and activity class.</param>
/// <param name="Highlight">True when the text mentions me.</param>
/// <param name="Encrypted">True when it came end-to-end encrypted.</param>
public sealed record ChatMessage(DateTimeOffset Time, string Sender, string Text, MessageKind Kind, bool Highlight = false, bool Encrypted = false);

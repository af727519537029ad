// What the status bar shows beyond the current buffer: connection, me, server, and a buzz flash.
namespace P2PChat.Peer.Tui.State;

internal sealed class StatusState
{
    public ServerConnectionStatus Connection { get; set; } = ServerConnectionStatus.Disconnected;
    public string User { get; set; } = "";
    public string Server { get; set; } = "";
    /// <summary>Shown after the connection state, in brackets (e.g. "attempt 2, in 4s" while reconnecting); empty for none.</summary>
    public string ConnectionDetail { get; set; } = "";

    /// <summary>The status bar flashes until this instant after a buzz.</summary>
    public DateTimeOffset FlashUntil { get; set; } = DateTimeOffset.MinValue;

    public string BuzzFrom { get; set; } = "";

    public bool IsFlashing(DateTimeOffset now) => now < FlashUntil;
}

// The states of either side of the link handshake; each side moves strictly forward.
namespace P2PChat.Core.Crypto.Handshake;

/// <summary>
/// <code>
/// Start --(I: write 1 / R: read 1)--> AfterFirst --(I: read 2 / R: write 2)--> AfterSecond --(I: write 3 / R: read 3)--> Complete
/// any rejected message --> Failed (terminal: every later call throws InvalidState)
/// </code>
/// </summary>
public enum LinkHandshakeState
{
    /// <summary>Initiator: write message 1. Responder: read message 1.</summary>
    Start,
    /// <summary>Initiator: read message 2. Responder: write message 2.</summary>
    AfterFirst,
    /// <summary>Initiator: write message 3. Responder: read message 3.</summary>
    AfterSecond,
    /// <summary>Keys available.</summary>
    Complete,
    /// <summary>A message was rejected; the handshake is dead.</summary>
    Failed,
}

// Thrown when a command cannot be carried out; the dispatcher turns it into an error event with its code.
using P2PChat.Peer.Events;

namespace P2PChat.Peer.Events;

/// <summary>A command could not be carried out; the dispatcher turns it into an error event.</summary>
public sealed class CommandFailedException(int code, string message) : Exception(message)
{
    public CommandFailedException(PeerErrorCode code, string message) : this((int)code, message) { }

    public int Code { get; } = code;
}

// The one exception type the transport raises when a connection or stream can no longer be used.
namespace P2PChat.Core.Transport;

/// <summary>Why a connection ended abnormally.</summary>
public enum TransportError
{
    None = 0,
    AbortedLocally = 1,
    AbortedByPeer = 2,
    IdleTimeout = 3,
    ConnectTimeout = 4,
    ProtocolViolation = 5,
    FlowControlViolation = 6,
    ClosedLocally = 7,
    EndpointDisposed = 8,
    /// <summary>A protected connection received a frame that did not open, was out of order, or was not protected.</summary>
    ProtectionViolation = 9,
    /// <summary>A graceful close gave up: the peer acknowledged nothing for <see cref="TransportOptions.CloseTimeout"/>.</summary>
    CloseTimedOut = 10,
}

public sealed class TransportException(TransportError error, string message) : Exception(message)
{
    public TransportError Error { get; } = error;
}

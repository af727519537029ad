// The four ways a presented server certificate can stand against the pin.
namespace P2PChat.Peer.Events;

/// <summary>How a presented certificate stood against the pin.</summary>
public enum PinOutcome
{
    /// <summary>No pin yet: the certificate is trusted and becomes the pin.</summary>
    FirstUse,
    /// <summary>The certificate is the pinned one.</summary>
    Matched,
    /// <summary>The user named this certificate with --server-fingerprint; it replaces the old pin.</summary>
    Replaced,
    /// <summary>Refused: neither the pin nor the fingerprint the user gave.</summary>
    Refused,
}

// The states of a connection's path MTU discovery (see Recovery/PathMtuDiscovery for the transitions).
namespace P2PChat.Core.Transport;

/// <summary>Where a connection's DPLPMTUD search stands (RFC 8899 §5.2, simplified).</summary>
public enum PathMtuState
{
    /// <summary>Not searching: switched off, or the largest allowed size is the base size.</summary>
    Disabled,
    /// <summary>Probing larger sizes; data uses the largest confirmed one meanwhile.</summary>
    Searching,
    /// <summary>The largest size the path carries (within the allowed maximum) is confirmed and used.</summary>
    SearchComplete,
    /// <summary>Large packets stopped arriving: back at the base size, searching again.</summary>
    BlackHole,
}

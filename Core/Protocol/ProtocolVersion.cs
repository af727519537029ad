// The protocol versions this build speaks and how a version is agreed in the first frame.
namespace P2PChat.Core.Protocol;

/// <summary>
/// The client's HELLO names the lowest and highest versions it speaks; the server answers with the highest
/// version both speak, or STATUS 19 (UnsupportedVersion, Value = its highest) and closes.
/// </summary>
public static class ProtocolVersion
{
    public const ushort Min = 1;
    public const ushort Max = 1;

    /// <summary>The version to use, or null when the ranges do not meet.</summary>
    public static ushort? Agree(ushort clientMin, ushort clientMax)
    {
        var hi = Math.Min(clientMax, Max);
        var lo = Math.Max(clientMin, Min);
        return hi >= lo ? hi : null;
    }
}

// Which side of an introduction controls the checks (picks the nominated pair): chosen the same way on both sides.
namespace P2PChat.Core.Links.Checks;

public enum CheckRole
{
    /// <summary>Nominates the pair; then opens the transport connection and initiates the link handshake.</summary>
    Controlling,
    /// <summary>Answers, follows the nomination; then accepts the transport connection and responds to the handshake.</summary>
    Controlled,
}

public static class CheckRoles
{
    /// <summary>
    /// Deterministic from what both sides know after the introduction: the side whose identity public key is
    /// lexicographically smaller controls. No tie is possible between two different keys; a link to oneself is refused.
    /// </summary>
    public static CheckRole Choose(ReadOnlySpan<byte> myIdentityKey, ReadOnlySpan<byte> peerIdentityKey)
    {
        int order = myIdentityKey.SequenceCompareTo(peerIdentityKey);
        if (order == 0) throw new ArgumentException("a link to oneself has no roles");
        return order < 0 ? CheckRole.Controlling : CheckRole.Controlled;
    }
}

// Whether a contact link runs on a direct path or through the rendezvous server's relay.
namespace P2PChat.Core.Links;

/// <summary>How a contact link's packets travel. Direct covers LAN, reflexive, mapped and probed paths; the
/// finer "via" detail belongs to the path that was nominated, not to this seam.</summary>
public enum LinkRoute
{
    Direct,
    Relay,
}

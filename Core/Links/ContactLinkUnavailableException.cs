// Thrown when no link to a contact can be made; the reason is for the user.
using P2PChat.Core.Protocol;

namespace P2PChat.Core.Links;

/// <summary>No link to <see cref="Peer"/> could be made or kept; <see cref="Exception.Message"/> says why in words a user understands.</summary>
public sealed class ContactLinkUnavailableException(Tag peer, string reason) : Exception(reason)
{
    public Tag Peer { get; } = peer;
}

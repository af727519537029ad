// One member as the signed room state lists it: user tag, proven identity key and role.
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Protocol;

namespace P2PChat.Core.Rooms;

/// <summary>The identity key is the one the member proved on its link; signatures by the member are checked against it.</summary>
public sealed record RoomMember(Tag Tag, IdentityPublicKey Identity, RoomRole Role)
{
    public bool Moderates => Role is RoomRole.Moderator or RoomRole.Creator;
}

// What a member may do in a room: the roles a signed room state gives.
namespace P2PChat.Core.Rooms;

/// <summary>Encoded as one byte in <see cref="RoomState"/>.</summary>
public enum RoomRole : byte
{
    /// <summary>Talks, votes, plays; may invite (the host admits).</summary>
    Member = 0,
    /// <summary>Also kicks and bans plain members; made by the creator.</summary>
    Moderator = 1,
    /// <summary>The room's creator: kicks and bans anyone but itself, makes moderators, renames, changes settings.</summary>
    Creator = 2,
}

// Presence states a user can be in, as carried by ADD and PRESENCE frames.
namespace P2PChat.Core.Protocol;

public enum Presence : byte
{
    Offline = 0,
    Online = 1,
    Away = 2,
}

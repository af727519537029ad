// Immutable records for friendships and friend requests.
namespace P2PChat.Rendezvous.Storage;

/// <summary>One side of an accepted (symmetric) friendship, seen from the listing user.</summary>
public sealed record Friend(uint Tag, DateTimeOffset Since);

/// <summary>A pending request from <see cref="From"/> to <see cref="To"/>.</summary>
public sealed record FriendRequest(uint From, uint To, DateTimeOffset RequestedAt);

public enum FriendRequestOutcome
{
    /// <summary>A new pending request was stored.</summary>
    Requested,
    /// <summary>The target had already asked the requester, so both are now friends.</summary>
    Accepted,
    AlreadyRequested,
    AlreadyFriends,
    UnknownUser,
}

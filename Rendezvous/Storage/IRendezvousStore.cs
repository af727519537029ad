// The storage contract the rendezvous server calls: accounts, friends, ignores, channels, offline messages, E2E keys.
using P2PChat.Rendezvous.Accounts;

namespace P2PChat.Rendezvous.Storage;

/// <summary>
/// Durable state of the rendezvous server. Every write is committed to disk before its task completes;
/// every returned value is an immutable snapshot. Engines: <see cref="SqliteRendezvousStore"/> (a PostgreSQL
/// engine is planned for multi-node servers, so nothing here exposes SQL or queries).
/// Methods that take a tag of a missing account/channel return false/empty/null (or a distinct outcome) rather
/// than throwing; malformed arguments (wrong tag kind, oversize payload) throw <see cref="ArgumentException"/>.
/// </summary>
public interface IRendezvousStore : IAsyncDisposable
{
    // ---- Accounts ----

    /// <summary>Creates an account with a fresh user tag. The very first account ever created is admin.
    /// A username already in use (case-insensitively) yields <see cref="RegistrationOutcome.UsernameTaken"/>.</summary>
    Task<RegistrationResult> RegisterAccountAsync(NewAccount account, CancellationToken cancellationToken);

    Task<Account?> FindAccountByUsernameAsync(string username, CancellationToken cancellationToken);

    Task<Account?> FindAccountByTagAsync(uint userTag, CancellationToken cancellationToken);

    /// <summary>The username of an account other than <paramref name="exceptTag"/> that <paramref name="name"/> looks like
    /// (UTS #39 skeletons ignoring case, <c>Core.Unicode.UnicodePolicy.LooksLike</c>), or null.</summary>
    Task<string?> FindLookAlikeUsernameAsync(string name, uint exceptTag, CancellationToken cancellationToken);

    /// <summary>Replaces the profile (nickname included); the tag and username never change.</summary>
    Task<bool> UpdateProfileAsync(uint userTag, AccountProfile profile, CancellationToken cancellationToken);

    /// <summary>Replaces the password verifier (password change, or rehash with more iterations).</summary>
    Task<bool> SetPasswordAsync(uint userTag, PasswordHash password, CancellationToken cancellationToken);

    Task<bool> SetLastSeenAsync(uint userTag, DateTimeOffset lastSeen, CancellationToken cancellationToken);

    /// <summary>Sets the ban, or clears it when <paramref name="ban"/> is null.</summary>
    Task<bool> SetBanAsync(uint userTag, AccountBan? ban, CancellationToken cancellationToken);

    // ---- Friends ----

    /// <summary>Asks <paramref name="toTag"/> for friendship. If they had already asked, both become friends.</summary>
    Task<FriendRequestOutcome> RequestFriendshipAsync(uint fromTag, uint toTag, CancellationToken cancellationToken);

    /// <summary>Accepts the pending request from <paramref name="requesterTag"/>; false when there is none.</summary>
    Task<bool> AcceptFriendRequestAsync(uint accepterTag, uint requesterTag, CancellationToken cancellationToken);

    /// <summary>Removes a pending request: used both when the target refuses and when the requester withdraws.</summary>
    Task<bool> RemoveFriendRequestAsync(uint requesterTag, uint targetTag, CancellationToken cancellationToken);

    /// <summary>Ends a friendship on both sides.</summary>
    Task<bool> RemoveFriendAsync(uint userTag, uint friendTag, CancellationToken cancellationToken);

    Task<IReadOnlyList<Friend>> ListFriendsAsync(uint userTag, CancellationToken cancellationToken);

    /// <summary>Requests others sent to <paramref name="userTag"/>, oldest first (to deliver at sign-in).</summary>
    Task<IReadOnlyList<FriendRequest>> ListIncomingFriendRequestsAsync(uint userTag, CancellationToken cancellationToken);

    Task<IReadOnlyList<FriendRequest>> ListOutgoingFriendRequestsAsync(uint userTag, CancellationToken cancellationToken);

    // ---- Ignores ----

    /// <summary>False when already ignored or a user is unknown.</summary>
    Task<bool> AddIgnoreAsync(uint userTag, uint ignoredTag, CancellationToken cancellationToken);

    Task<bool> RemoveIgnoreAsync(uint userTag, uint ignoredTag, CancellationToken cancellationToken);

    Task<bool> IsIgnoringAsync(uint userTag, uint ignoredTag, CancellationToken cancellationToken);

    Task<IReadOnlyList<uint>> ListIgnoredAsync(uint userTag, CancellationToken cancellationToken);

    // ---- Channels (the general channel, tag 1, is implicit: it cannot be joined, left or listed per user) ----

    /// <summary>Creates a channel with a fresh channel tag; the creator joins it as operator.</summary>
    Task<ChannelCreationResult> CreateChannelAsync(NewChannel channel, CancellationToken cancellationToken);

    /// <summary>Finds a channel by name, with or without the leading '#', case-insensitively.</summary>
    Task<Channel?> FindChannelByNameAsync(string name, CancellationToken cancellationToken);

    Task<Channel?> FindChannelByTagAsync(uint channelTag, CancellationToken cancellationToken);

    Task<bool> SetChannelTopicAsync(uint channelTag, string? topic, CancellationToken cancellationToken);

    Task<bool> SetChannelInviteOnlyAsync(uint channelTag, bool inviteOnly, CancellationToken cancellationToken);

    /// <summary>Joins; an invite-only channel requires an invite, which joining consumes.
    /// <see cref="JoinOutcome.NoSuchChannel"/> also covers an unknown user.</summary>
    Task<JoinOutcome> JoinChannelAsync(uint channelTag, uint userTag, CancellationToken cancellationToken);

    /// <summary>Leaves; the last member leaving deletes the channel (its tag is never reused).</summary>
    Task<LeaveOutcome> LeaveChannelAsync(uint channelTag, uint userTag, CancellationToken cancellationToken);

    /// <summary>Grants or revokes operator status; false when the user is not a member.</summary>
    Task<bool> SetChannelOperatorAsync(uint channelTag, uint userTag, bool isOperator, CancellationToken cancellationToken);

    /// <summary>Records an invite (consumed when the invitee joins). <see cref="InviteOutcome.NoSuchChannel"/>
    /// also covers an unknown invitee or inviter. Whether the inviter may invite is the server's decision.</summary>
    Task<InviteOutcome> InviteToChannelAsync(uint channelTag, uint inviteeTag, uint inviterTag, CancellationToken cancellationToken);

    /// <summary>The channels <paramref name="userTag"/> is a member of, by tag (general not included).</summary>
    Task<IReadOnlyList<Channel>> ListChannelsOfUserAsync(uint userTag, CancellationToken cancellationToken);

    /// <summary>The stored members of a channel, by join order.</summary>
    Task<IReadOnlyList<ChannelMember>> ListChannelMembersAsync(uint channelTag, CancellationToken cancellationToken);

    /// <summary>Unconsumed invites held by <paramref name="inviteeTag"/>, oldest first.</summary>
    Task<IReadOnlyList<ChannelInvite>> ListInvitesForUserAsync(uint inviteeTag, CancellationToken cancellationToken);

    // ---- Offline messages ----

    /// <summary>Appends a message for an offline recipient. Returns only after the message is durably
    /// committed, so the sender may then be told it was accepted.</summary>
    Task<AppendResult> AppendOfflineMessageAsync(NewOfflineMessage message, CancellationToken cancellationToken);

    /// <summary>Appends several messages in <em>one</em> durable transaction (a MSG_MULTI): a crash stores all of them
    /// or none. Each is checked against the caps in order (earlier ones of the batch count); the results are in the
    /// messages' order.</summary>
    Task<IReadOnlyList<AppendResult>> AppendOfflineMessagesAsync(IReadOnlyList<NewOfflineMessage> messages, CancellationToken cancellationToken);

    /// <summary>Pending messages for <paramref name="recipientTag"/> with id greater than <paramref name="afterId"/>,
    /// in id order, at most <paramref name="maxCount"/> (page through a long queue by passing the last id).</summary>
    Task<IReadOnlyList<OfflineMessage>> FetchOfflineMessagesAsync(uint recipientTag, long afterId, int maxCount, CancellationToken cancellationToken);

    /// <summary>Deletes exactly the named messages of <paramref name="recipientTag"/> (after the client confirmed
    /// receiving them), in one durable transaction; ids that are gone or belong to someone else are left alone.
    /// Returns how many were deleted.</summary>
    Task<int> DeleteOfflineMessagesAsync(uint recipientTag, IReadOnlyCollection<long> ids, CancellationToken cancellationToken);

    Task<int> CountOfflineMessagesAsync(uint recipientTag, CancellationToken cancellationToken);

    // ---- End-to-end key material (opaque blobs) ----

    /// <summary>Sets or clears (null) the account's identity public key.</summary>
    Task<bool> SetIdentityKeyAsync(uint userTag, ReadOnlyMemory<byte>? identityKey, CancellationToken cancellationToken);

    /// <summary>Replaces the user's signed prekey.</summary>
    Task<bool> SetSignedPrekeyAsync(uint userTag, ReadOnlyMemory<byte> signedPrekey, CancellationToken cancellationToken);

    Task<ReadOnlyMemory<byte>?> GetSignedPrekeyAsync(uint userTag, CancellationToken cancellationToken);

    /// <summary>Adds one-time prekeys; returns how many the user now holds (0 additions for unknown user).</summary>
    Task<int> AddOneTimePrekeysAsync(uint userTag, IReadOnlyList<ReadOnlyMemory<byte>> prekeys, CancellationToken cancellationToken);

    /// <summary>Removes and returns the user's oldest one-time prekey; each prekey is handed out once only,
    /// even under concurrent calls. Null when none remain.</summary>
    Task<ReadOnlyMemory<byte>?> TakeOneTimePrekeyAsync(uint userTag, CancellationToken cancellationToken);

    Task<int> CountOneTimePrekeysAsync(uint userTag, CancellationToken cancellationToken);

    // ---- Resumption tickets (device-bound; see docs/protocol.md, "Resuming") ----

    /// <summary>Stores <paramref name="ticket"/>, replacing the ticket held by the same account and device, and deletes
    /// every ticket that expired by <paramref name="now"/>. False for an unknown account.</summary>
    Task<bool> IssueTicketAsync(ResumptionTicket ticket, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The ticket with this id, or null (never issued, replaced or revoked).</summary>
    Task<ResumptionTicket?> FindTicketAsync(byte[] id, CancellationToken cancellationToken);

    /// <summary>Deletes the account's ticket for <paramref name="deviceId"/>, or every ticket of the account when it is
    /// null; returns how many were deleted.</summary>
    Task<int> RevokeTicketsAsync(uint userTag, byte[]? deviceId, CancellationToken cancellationToken);
}

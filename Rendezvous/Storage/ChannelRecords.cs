// Immutable records for channels, their members and invitations.
namespace P2PChat.Rendezvous.Storage;

/// <summary>A channel. <see cref="Name"/> is stored without the leading '#'. <see cref="CreatorTag"/> is null
/// only for the implicit general channel.</summary>
public sealed record Channel(uint Tag, string Name, string? Topic, bool InviteOnly, uint? CreatorTag, DateTimeOffset CreatedAt);

/// <summary>What creating a channel needs; the creator becomes its first member and an operator.</summary>
public sealed record NewChannel(string Name, string? Topic, bool InviteOnly, uint CreatorTag);

public sealed record ChannelMember(uint ChannelTag, uint UserTag, bool IsOperator, DateTimeOffset JoinedAt);

public sealed record ChannelInvite(uint ChannelTag, uint InviteeTag, uint InviterTag, DateTimeOffset InvitedAt);

/// <summary>Result of <see cref="IRendezvousStore.CreateChannelAsync"/>; <see cref="Channel"/> is set when created.</summary>
public sealed record ChannelCreationResult(ChannelCreationOutcome Outcome, Channel? Channel);

public enum ChannelCreationOutcome
{
    Created,
    /// <summary>A channel with this name exists (compared case-insensitively; "general" is reserved).</summary>
    NameTaken,
}

public enum JoinOutcome
{
    Joined,
    AlreadyMember,
    NoSuchChannel,
    /// <summary>The channel is invite-only and the user holds no invite.</summary>
    NotInvited,
}

public enum LeaveOutcome
{
    Left,
    /// <summary>The user was the last member, so the channel and its invites were deleted.</summary>
    LeftAndChannelDeleted,
    NotMember,
}

public enum InviteOutcome
{
    Invited,
    AlreadyInvited,
    AlreadyMember,
    NoSuchChannel,
}

// Immutable records describing accounts as the store hands them out and takes them in.
using P2PChat.Rendezvous.Accounts;

namespace P2PChat.Rendezvous.Storage;

/// <summary>A stored account. <see cref="Tag"/> is allocated by the store and never changes.</summary>
public sealed record Account(
    uint Tag,
    string Username,
    PasswordHash Password,
    AccountProfile Profile,
    DateTimeOffset CreatedAt,
    bool IsAdmin,
    AccountBan? Ban,
    ReadOnlyMemory<byte>? IdentityKey,
    DateTimeOffset? LastSeen);

/// <summary>The user-editable part of an account. All but the nickname are optional.</summary>
public sealed record AccountProfile(
    string Nickname,
    string? Email = null,
    string? FullName = null,
    DateOnly? BirthDate = null,
    string? Gender = null,
    string? Location = null);

/// <summary>A ban: the account may not sign in before <see cref="Until"/>.</summary>
public sealed record AccountBan(DateTimeOffset Until, string? Reason);

/// <summary>What registration needs. A null <see cref="Profile"/> means "nickname = username, nothing else".</summary>
public sealed record NewAccount(string Username, PasswordHash Password, AccountProfile? Profile = null);

/// <summary>Result of <see cref="IRendezvousStore.RegisterAccountAsync"/>; <see cref="Account"/> is set when registered.</summary>
public sealed record RegistrationResult(RegistrationOutcome Outcome, Account? Account);

public enum RegistrationOutcome
{
    Registered,
    /// <summary>Another account already has this username (compared case-insensitively).</summary>
    UsernameTaken,
}

// Channel operations of the SQLite store: creation, lookup, settings, membership, operators and invites.
using Microsoft.Data.Sqlite;

namespace P2PChat.Rendezvous.Storage;

/// <summary>
/// Lifecycle of a created channel: create (creator joins as operator) → members join (invite-only channels
/// consume the member's invite) and leave → the last member leaving deletes the channel row, and with it
/// (ON DELETE CASCADE) its invites; its tag is never handed out again. The general channel (tag 1) has a row
/// only to reserve its name and tag; it has no stored members and cannot be joined, left or deleted here.
/// </summary>
public sealed partial class SqliteRendezvousStore
{
    private const string ChannelColumns = "tag, name, topic, invite_only, creator_tag, created_at";

    public Task<ChannelCreationResult> CreateChannelAsync(NewChannel channel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        RequireUserTag(channel.CreatorTag, nameof(channel));
        var name = WithoutHash(channel.Name);
        ArgumentException.ThrowIfNullOrWhiteSpace(name, nameof(channel));
        var now = NowUnixMs;
        return _database.WriteAsync(async (connection, transaction) =>
        {
            if (await ExistsAsync(connection, transaction, "SELECT 1 FROM channels WHERE name = $name", cancellationToken, ("$name", name)))
            {
                return new ChannelCreationResult(ChannelCreationOutcome.NameTaken, null);
            }
            await connection.Command("""
                INSERT INTO channels (name, topic, invite_only, creator_tag, created_at) VALUES ($name, $topic, $inviteOnly, $creator, $now)
                """, transaction)
                .With("$name", name).With("$topic", channel.Topic).With("$inviteOnly", channel.InviteOnly)
                .With("$creator", (long)channel.CreatorTag).With("$now", now)
                .ExecuteAsync(cancellationToken);
            var tag = await connection.Command("SELECT last_insert_rowid()", transaction).ScalarInt64Async(cancellationToken) ?? 0;
            if (tag >= StoreTags.UserBit)
            {
                throw new InvalidOperationException("Channel tags are exhausted.");
            }
            await InsertMemberAsync(connection, transaction, (uint)tag, channel.CreatorTag, isOperator: true, now, cancellationToken);
            var created = new Channel((uint)tag, name, channel.Topic, channel.InviteOnly, channel.CreatorTag, DateTimeOffset.FromUnixTimeMilliseconds(now));
            return new ChannelCreationResult(ChannelCreationOutcome.Created, created);
        }, cancellationToken);
    }

    public Task<Channel?> FindChannelByNameAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        return QuerySingleAsync($"SELECT {ChannelColumns} FROM channels WHERE name = $name", ReadChannel, cancellationToken, ("$name", WithoutHash(name)));
    }

    public Task<Channel?> FindChannelByTagAsync(uint channelTag, CancellationToken cancellationToken) =>
        QuerySingleAsync($"SELECT {ChannelColumns} FROM channels WHERE tag = $tag", ReadChannel, cancellationToken, ("$tag", (long)channelTag));

    public async Task<bool> SetChannelTopicAsync(uint channelTag, string? topic, CancellationToken cancellationToken)
    {
        RequireCreatedChannelTag(channelTag, nameof(channelTag));
        return await ExecuteWriteAsync("UPDATE channels SET topic = $topic WHERE tag = $tag", cancellationToken,
            ("$topic", topic), ("$tag", (long)channelTag)) > 0;
    }

    public async Task<bool> SetChannelInviteOnlyAsync(uint channelTag, bool inviteOnly, CancellationToken cancellationToken)
    {
        RequireCreatedChannelTag(channelTag, nameof(channelTag));
        return await ExecuteWriteAsync("UPDATE channels SET invite_only = $inviteOnly WHERE tag = $tag", cancellationToken,
            ("$inviteOnly", inviteOnly), ("$tag", (long)channelTag)) > 0;
    }

    public Task<JoinOutcome> JoinChannelAsync(uint channelTag, uint userTag, CancellationToken cancellationToken)
    {
        RequireCreatedChannelTag(channelTag, nameof(channelTag));
        RequireUserTag(userTag, nameof(userTag));
        return _database.WriteAsync(async (connection, transaction) =>
        {
            var inviteOnly = await connection.Command("SELECT invite_only FROM channels WHERE tag = $tag", transaction)
                .With("$tag", (long)channelTag).ScalarInt64Async(cancellationToken);
            if (inviteOnly is null || !await AccountExistsAsync(connection, transaction, userTag, cancellationToken))
            {
                return JoinOutcome.NoSuchChannel;
            }
            if (await IsMemberAsync(connection, transaction, channelTag, userTag, cancellationToken))
            {
                return JoinOutcome.AlreadyMember;
            }
            var hadInvite = await connection.Command("DELETE FROM channel_invites WHERE channel_tag = $channel AND invitee_tag = $user", transaction)
                .With("$channel", (long)channelTag).With("$user", (long)userTag).ExecuteAsync(cancellationToken) > 0;
            if (inviteOnly != 0 && !hadInvite)
            {
                return JoinOutcome.NotInvited;
            }
            await InsertMemberAsync(connection, transaction, channelTag, userTag, isOperator: false, NowUnixMs, cancellationToken);
            return JoinOutcome.Joined;
        }, cancellationToken);
    }

    public Task<LeaveOutcome> LeaveChannelAsync(uint channelTag, uint userTag, CancellationToken cancellationToken)
    {
        RequireCreatedChannelTag(channelTag, nameof(channelTag));
        return _database.WriteAsync(async (connection, transaction) =>
        {
            var left = await connection.Command("DELETE FROM channel_members WHERE channel_tag = $channel AND user_tag = $user", transaction)
                .With("$channel", (long)channelTag).With("$user", (long)userTag).ExecuteAsync(cancellationToken) > 0;
            if (!left)
            {
                return LeaveOutcome.NotMember;
            }
            var deleted = await connection.Command("""
                DELETE FROM channels WHERE tag = $channel AND NOT EXISTS (SELECT 1 FROM channel_members WHERE channel_tag = $channel)
                """, transaction).With("$channel", (long)channelTag).ExecuteAsync(cancellationToken) > 0;
            return deleted ? LeaveOutcome.LeftAndChannelDeleted : LeaveOutcome.Left;
        }, cancellationToken);
    }

    public async Task<bool> SetChannelOperatorAsync(uint channelTag, uint userTag, bool isOperator, CancellationToken cancellationToken) =>
        await ExecuteWriteAsync("UPDATE channel_members SET is_operator = $isOperator WHERE channel_tag = $channel AND user_tag = $user", cancellationToken,
            ("$isOperator", isOperator), ("$channel", (long)channelTag), ("$user", (long)userTag)) > 0;

    public Task<InviteOutcome> InviteToChannelAsync(uint channelTag, uint inviteeTag, uint inviterTag, CancellationToken cancellationToken)
    {
        RequireCreatedChannelTag(channelTag, nameof(channelTag));
        RequireUserTag(inviteeTag, nameof(inviteeTag));
        RequireUserTag(inviterTag, nameof(inviterTag));
        return _database.WriteAsync(async (connection, transaction) =>
        {
            if (!await ExistsAsync(connection, transaction, "SELECT 1 FROM channels WHERE tag = $tag", cancellationToken, ("$tag", (long)channelTag))
                || !await AccountExistsAsync(connection, transaction, inviteeTag, cancellationToken)
                || !await AccountExistsAsync(connection, transaction, inviterTag, cancellationToken))
            {
                return InviteOutcome.NoSuchChannel;
            }
            if (await IsMemberAsync(connection, transaction, channelTag, inviteeTag, cancellationToken))
            {
                return InviteOutcome.AlreadyMember;
            }
            var inserted = await connection.Command("""
                INSERT INTO channel_invites (channel_tag, invitee_tag, inviter_tag, invited_at) VALUES ($channel, $invitee, $inviter, $now)
                ON CONFLICT DO NOTHING
                """, transaction)
                .With("$channel", (long)channelTag).With("$invitee", (long)inviteeTag).With("$inviter", (long)inviterTag).With("$now", NowUnixMs)
                .ExecuteAsync(cancellationToken);
            return inserted > 0 ? InviteOutcome.Invited : InviteOutcome.AlreadyInvited;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<Channel>> ListChannelsOfUserAsync(uint userTag, CancellationToken cancellationToken) =>
        QueryAsync("""
            SELECT c.tag, c.name, c.topic, c.invite_only, c.creator_tag, c.created_at
            FROM channel_members m JOIN channels c ON c.tag = m.channel_tag
            WHERE m.user_tag = $user ORDER BY c.tag
            """, ReadChannel, cancellationToken, ("$user", (long)userTag));

    public Task<IReadOnlyList<ChannelMember>> ListChannelMembersAsync(uint channelTag, CancellationToken cancellationToken) =>
        QueryAsync("SELECT channel_tag, user_tag, is_operator, joined_at FROM channel_members WHERE channel_tag = $channel ORDER BY joined_at, user_tag",
            row => new ChannelMember(row.TagAt(0), row.TagAt(1), row.GetInt64(2) != 0, row.TimeAt(3)), cancellationToken, ("$channel", (long)channelTag));

    public Task<IReadOnlyList<ChannelInvite>> ListInvitesForUserAsync(uint inviteeTag, CancellationToken cancellationToken) =>
        QueryAsync("SELECT channel_tag, invitee_tag, inviter_tag, invited_at FROM channel_invites WHERE invitee_tag = $user ORDER BY invited_at, channel_tag",
            row => new ChannelInvite(row.TagAt(0), row.TagAt(1), row.TagAt(2), row.TimeAt(3)), cancellationToken, ("$user", (long)inviteeTag));

    private static string WithoutHash(string name) => name.StartsWith('#') ? name[1..] : name;

    private static Task<bool> IsMemberAsync(SqliteConnection connection, SqliteTransaction transaction, uint channelTag, uint userTag, CancellationToken cancellationToken) =>
        ExistsAsync(connection, transaction, "SELECT 1 FROM channel_members WHERE channel_tag = $channel AND user_tag = $user", cancellationToken,
            ("$channel", (long)channelTag), ("$user", (long)userTag));

    private static Task<int> InsertMemberAsync(SqliteConnection connection, SqliteTransaction transaction, uint channelTag, uint userTag, bool isOperator, long joinedAt, CancellationToken cancellationToken) =>
        connection.Command("INSERT INTO channel_members (channel_tag, user_tag, is_operator, joined_at) VALUES ($channel, $user, $isOperator, $now)", transaction)
            .With("$channel", (long)channelTag).With("$user", (long)userTag).With("$isOperator", isOperator).With("$now", joinedAt)
            .ExecuteAsync(cancellationToken);

    private static Channel ReadChannel(SqliteDataReader row) => new(
        Tag: row.TagAt(0),
        Name: row.GetString(1),
        Topic: row.NullableStringAt(2),
        InviteOnly: row.GetInt64(3) != 0,
        CreatorTag: row.IsDBNull(4) ? null : row.TagAt(4),
        CreatedAt: row.TimeAt(5));
}

// Friend operations of the SQLite store: requests (pending → accepted / removed) and symmetric friendships.
using Microsoft.Data.Sqlite;

namespace P2PChat.Rendezvous.Storage;

/// <summary>
/// States of a pair (A, B): none → A requests → pending(A→B) → B accepts → friends (rows A→B and B→A);
/// pending(A→B) → B refuses or A withdraws → none; friends → either removes → none.
/// A request from B while pending(A→B) accepts directly.
/// </summary>
public sealed partial class SqliteRendezvousStore
{
    public Task<FriendRequestOutcome> RequestFriendshipAsync(uint fromTag, uint toTag, CancellationToken cancellationToken)
    {
        RequireDistinctUsers(fromTag, toTag);
        return _database.WriteAsync(async (connection, transaction) =>
        {
            if (!await AccountExistsAsync(connection, transaction, fromTag, cancellationToken)
                || !await AccountExistsAsync(connection, transaction, toTag, cancellationToken))
            {
                return FriendRequestOutcome.UnknownUser;
            }
            if (await ExistsAsync(connection, transaction, "SELECT 1 FROM friendships WHERE user_tag = $a AND friend_tag = $b", cancellationToken,
                    ("$a", (long)fromTag), ("$b", (long)toTag)))
            {
                return FriendRequestOutcome.AlreadyFriends;
            }
            if (await DeleteRequestAsync(connection, transaction, toTag, fromTag, cancellationToken))
            {
                await InsertFriendshipAsync(connection, transaction, fromTag, toTag, cancellationToken);
                return FriendRequestOutcome.Accepted;
            }
            var inserted = await connection.Command("""
                INSERT INTO friend_requests (from_tag, to_tag, requested_at) VALUES ($from, $to, $now)
                ON CONFLICT DO NOTHING
                """, transaction).With("$from", (long)fromTag).With("$to", (long)toTag).With("$now", NowUnixMs).ExecuteAsync(cancellationToken);
            return inserted > 0 ? FriendRequestOutcome.Requested : FriendRequestOutcome.AlreadyRequested;
        }, cancellationToken);
    }

    public Task<bool> AcceptFriendRequestAsync(uint accepterTag, uint requesterTag, CancellationToken cancellationToken)
    {
        RequireDistinctUsers(accepterTag, requesterTag);
        return _database.WriteAsync(async (connection, transaction) =>
        {
            if (!await DeleteRequestAsync(connection, transaction, requesterTag, accepterTag, cancellationToken))
            {
                return false;
            }
            await InsertFriendshipAsync(connection, transaction, accepterTag, requesterTag, cancellationToken);
            return true;
        }, cancellationToken);
    }

    public Task<bool> RemoveFriendRequestAsync(uint requesterTag, uint targetTag, CancellationToken cancellationToken) =>
        _database.WriteAsync((connection, transaction) => DeleteRequestAsync(connection, transaction, requesterTag, targetTag, cancellationToken), cancellationToken);

    public async Task<bool> RemoveFriendAsync(uint userTag, uint friendTag, CancellationToken cancellationToken) =>
        await ExecuteWriteAsync("""
            DELETE FROM friendships WHERE (user_tag = $a AND friend_tag = $b) OR (user_tag = $b AND friend_tag = $a)
            """, cancellationToken, ("$a", (long)userTag), ("$b", (long)friendTag)) > 0;

    public Task<IReadOnlyList<Friend>> ListFriendsAsync(uint userTag, CancellationToken cancellationToken) =>
        QueryAsync("SELECT friend_tag, since FROM friendships WHERE user_tag = $tag ORDER BY friend_tag",
            row => new Friend(row.TagAt(0), row.TimeAt(1)), cancellationToken, ("$tag", (long)userTag));

    public Task<IReadOnlyList<FriendRequest>> ListIncomingFriendRequestsAsync(uint userTag, CancellationToken cancellationToken) =>
        ListFriendRequestsAsync("to_tag", userTag, cancellationToken);

    public Task<IReadOnlyList<FriendRequest>> ListOutgoingFriendRequestsAsync(uint userTag, CancellationToken cancellationToken) =>
        ListFriendRequestsAsync("from_tag", userTag, cancellationToken);

    private Task<IReadOnlyList<FriendRequest>> ListFriendRequestsAsync(string userColumn, uint userTag, CancellationToken cancellationToken) =>
        QueryAsync($"SELECT from_tag, to_tag, requested_at FROM friend_requests WHERE {userColumn} = $tag ORDER BY requested_at, from_tag, to_tag",
            row => new FriendRequest(row.TagAt(0), row.TagAt(1), row.TimeAt(2)), cancellationToken, ("$tag", (long)userTag));

    private static async Task<bool> DeleteRequestAsync(SqliteConnection connection, SqliteTransaction transaction, uint fromTag, uint toTag, CancellationToken cancellationToken) =>
        await connection.Command("DELETE FROM friend_requests WHERE from_tag = $from AND to_tag = $to", transaction)
            .With("$from", (long)fromTag).With("$to", (long)toTag).ExecuteAsync(cancellationToken) > 0;

    private async Task InsertFriendshipAsync(SqliteConnection connection, SqliteTransaction transaction, uint a, uint b, CancellationToken cancellationToken) =>
        await connection.Command("""
            INSERT INTO friendships (user_tag, friend_tag, since) VALUES ($a, $b, $now), ($b, $a, $now)
            ON CONFLICT DO NOTHING
            """, transaction).With("$a", (long)a).With("$b", (long)b).With("$now", NowUnixMs).ExecuteAsync(cancellationToken);

    private static void RequireDistinctUsers(uint userTag, uint otherTag)
    {
        RequireUserTag(userTag, nameof(userTag));
        RequireUserTag(otherTag, nameof(otherTag));
        if (userTag == otherTag)
        {
            throw new ArgumentException("A user cannot befriend or ignore themself.", nameof(otherTag));
        }
    }
}

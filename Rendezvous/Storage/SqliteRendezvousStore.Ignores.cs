// Ignore-list operations of the SQLite store: (user, ignored user) pairs.
namespace P2PChat.Rendezvous.Storage;

public sealed partial class SqliteRendezvousStore
{
    public Task<bool> AddIgnoreAsync(uint userTag, uint ignoredTag, CancellationToken cancellationToken)
    {
        RequireDistinctUsers(userTag, ignoredTag);
        return _database.WriteAsync(async (connection, transaction) =>
            await AccountExistsAsync(connection, transaction, userTag, cancellationToken)
            && await AccountExistsAsync(connection, transaction, ignoredTag, cancellationToken)
            && await connection.Command("INSERT INTO ignores (user_tag, ignored_tag) VALUES ($user, $ignored) ON CONFLICT DO NOTHING", transaction)
                .With("$user", (long)userTag).With("$ignored", (long)ignoredTag).ExecuteAsync(cancellationToken) > 0,
            cancellationToken);
    }

    public async Task<bool> RemoveIgnoreAsync(uint userTag, uint ignoredTag, CancellationToken cancellationToken) =>
        await ExecuteWriteAsync("DELETE FROM ignores WHERE user_tag = $user AND ignored_tag = $ignored", cancellationToken,
            ("$user", (long)userTag), ("$ignored", (long)ignoredTag)) > 0;

    public async Task<bool> IsIgnoringAsync(uint userTag, uint ignoredTag, CancellationToken cancellationToken) =>
        await QueryInt64Async("SELECT EXISTS (SELECT 1 FROM ignores WHERE user_tag = $user AND ignored_tag = $ignored)", cancellationToken,
            ("$user", (long)userTag), ("$ignored", (long)ignoredTag)) != 0;

    public Task<IReadOnlyList<uint>> ListIgnoredAsync(uint userTag, CancellationToken cancellationToken) =>
        QueryAsync("SELECT ignored_tag FROM ignores WHERE user_tag = $user ORDER BY ignored_tag",
            row => row.TagAt(0), cancellationToken, ("$user", (long)userTag));
}

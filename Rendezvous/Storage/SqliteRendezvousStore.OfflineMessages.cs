// Offline message operations of the SQLite store: durable (batch) append under the queue caps, ordered fetch, delete of acknowledged ids.
namespace P2PChat.Rendezvous.Storage;

public sealed partial class SqliteRendezvousStore
{
    public async Task<AppendResult> AppendOfflineMessageAsync(NewOfflineMessage message, CancellationToken cancellationToken) =>
        (await AppendOfflineMessagesAsync([message], cancellationToken))[0];

    public Task<IReadOnlyList<AppendResult>> AppendOfflineMessagesAsync(IReadOnlyList<NewOfflineMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var message in messages)
        {
            ArgumentNullException.ThrowIfNull(message, nameof(messages));
            RequireUserTag(message.FromTag, nameof(messages));
            RequireUserTag(message.ToTag, nameof(messages));
            if (message.ConversationTag == 0)
            {
                throw new ArgumentException("The conversation tag must name a user or a channel.", nameof(messages));
            }
            if (message.Payload.Length > NewOfflineMessage.MaxPayloadBytes)
            {
                throw new ArgumentException($"Payload of {message.Payload.Length} bytes exceeds {NewOfflineMessage.MaxPayloadBytes}.", nameof(messages));
            }
        }
        if (messages.Count == 0) return Task.FromResult<IReadOnlyList<AppendResult>>([]);
        // One transaction for the whole batch. Returns only after COMMIT, which with synchronous=FULL has fsynced the
        // WAL: every message survives a crash, and a crash before the commit leaves none of them.
        return _database.WriteAsync<IReadOnlyList<AppendResult>>(async (connection, transaction) =>
        {
            var results = new AppendResult[messages.Count];
            for (var i = 0; i < messages.Count; i++)
            {
                results[i] = await AppendOneAsync(connection, transaction, messages[i], cancellationToken);
            }
            return results;
        }, cancellationToken);
    }

    /// <summary>
    /// One message inside the batch's transaction. Caps, in order: the recipient's whole queue
    /// (<see cref="SqliteStoreOptions.MaxOfflineMessagesPerRecipient"/>), this sender's share of it
    /// (<see cref="SqliteStoreOptions.MaxOfflineMessagesPerSender"/>), and for a sender who is not the recipient's
    /// friend, what all non-friends together may fill (the recipient cap less <see cref="SqliteStoreOptions.OfflineFriendsReserve"/>).
    /// </summary>
    private async Task<AppendResult> AppendOneAsync(Microsoft.Data.Sqlite.SqliteConnection connection, Microsoft.Data.Sqlite.SqliteTransaction transaction,
        NewOfflineMessage message, CancellationToken cancellationToken)
    {
        if (!await AccountExistsAsync(connection, transaction, message.ToTag, cancellationToken)
            || !await AccountExistsAsync(connection, transaction, message.FromTag, cancellationToken))
        {
            return new AppendResult(AppendOutcome.UnknownRecipient, null);
        }
        var to = (long)message.ToTag;
        var from = (long)message.FromTag;
        if (_options.MaxOfflineMessagesPerRecipient is { } max
            && await connection.Command("SELECT COUNT(*) FROM offline_messages WHERE to_tag = $to", transaction)
                .With("$to", to).ScalarInt64Async(cancellationToken) >= max)
        {
            return new AppendResult(AppendOutcome.RecipientQueueFull, null);
        }
        if (_options.MaxOfflineMessagesPerSender is { } perSender
            && await connection.Command("SELECT COUNT(*) FROM offline_messages WHERE to_tag = $to AND from_tag = $from", transaction)
                .With("$to", to).With("$from", from).ScalarInt64Async(cancellationToken) >= perSender)
        {
            return new AppendResult(AppendOutcome.SenderQuotaFull, null);
        }
        if (_options is { MaxOfflineMessagesPerRecipient: { } total, OfflineFriendsReserve: { } reserve }
            && !await ExistsAsync(connection, transaction, "SELECT 1 FROM friendships WHERE user_tag = $to AND friend_tag = $from", cancellationToken, ("$to", to), ("$from", from))
            && await connection.Command("""
                SELECT COUNT(*) FROM offline_messages
                WHERE to_tag = $to AND from_tag NOT IN (SELECT friend_tag FROM friendships WHERE user_tag = $to)
                """, transaction).With("$to", to).ScalarInt64Async(cancellationToken) >= Math.Max(0, total - reserve))
        {
            return new AppendResult(AppendOutcome.RecipientQueueFull, null);
        }
        await connection.Command("""
            INSERT INTO offline_messages (to_tag, from_tag, conversation_tag, sent_at, flags, payload)
            VALUES ($to, $from, $conversation, $sentAt, $flags, $payload)
            """, transaction)
            .With("$to", to).With("$from", from).With("$conversation", (long)message.ConversationTag)
            .With("$sentAt", SqliteCommands.ToUnixMs(message.SentAt)).With("$flags", (long)message.Flags)
            .With("$payload", SqliteCommands.ToBlob(message.Payload))
            .ExecuteAsync(cancellationToken);
        var id = await connection.Command("SELECT last_insert_rowid()", transaction).ScalarInt64Async(cancellationToken);
        return new AppendResult(AppendOutcome.Stored, id);
    }

    public Task<IReadOnlyList<OfflineMessage>> FetchOfflineMessagesAsync(uint recipientTag, long afterId, int maxCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        return QueryAsync("""
            SELECT id, from_tag, to_tag, conversation_tag, sent_at, flags, payload
            FROM offline_messages WHERE to_tag = $to AND id > $after ORDER BY id LIMIT $max
            """,
            row => new OfflineMessage(row.GetInt64(0), row.TagAt(1), row.TagAt(2), row.TagAt(3), row.TimeAt(4), (byte)row.GetInt64(5), row.BlobAt(6)),
            cancellationToken, ("$to", (long)recipientTag), ("$after", afterId), ("$max", maxCount));
    }

    public Task<int> DeleteOfflineMessagesAsync(uint recipientTag, IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0) return Task.FromResult(0);
        // One transaction, one prepared statement: committed (and with synchronous=FULL fsynced) before the task completes.
        return _database.WriteAsync(async (connection, transaction) =>
        {
            await using var delete = connection.Command("DELETE FROM offline_messages WHERE to_tag = $to AND id = $id", transaction)
                .With("$to", (long)recipientTag).With("$id", 0L);
            var deleted = 0;
            foreach (var id in ids.Distinct())
            {
                delete.Parameters["$id"].Value = id;
                deleted += await delete.ExecuteNonQueryAsync(cancellationToken);
            }
            return deleted;
        }, cancellationToken);
    }

    public async Task<int> CountOfflineMessagesAsync(uint recipientTag, CancellationToken cancellationToken) =>
        (int)await QueryInt64Async("SELECT COUNT(*) FROM offline_messages WHERE to_tag = $to", cancellationToken, ("$to", (long)recipientTag));
}

// Offline message operations of the SQLite store: durable append with a per-recipient cap, ordered fetch, delete of acknowledged ids.
namespace P2PChat.Rendezvous.Storage;

public sealed partial class SqliteRendezvousStore
{
    public Task<AppendResult> AppendOfflineMessageAsync(NewOfflineMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        RequireUserTag(message.FromTag, nameof(message));
        RequireUserTag(message.ToTag, nameof(message));
        if (message.ConversationTag == 0)
        {
            throw new ArgumentException("The conversation tag must name a user or a channel.", nameof(message));
        }
        if (message.Payload.Length > NewOfflineMessage.MaxPayloadBytes)
        {
            throw new ArgumentException($"Payload of {message.Payload.Length} bytes exceeds {NewOfflineMessage.MaxPayloadBytes}.", nameof(message));
        }
        var cap = _options.MaxOfflineMessagesPerRecipient;
        // Returns only after COMMIT, which with synchronous=FULL has fsynced the WAL: the message survives a crash.
        return _database.WriteAsync(async (connection, transaction) =>
        {
            if (!await AccountExistsAsync(connection, transaction, message.ToTag, cancellationToken)
                || !await AccountExistsAsync(connection, transaction, message.FromTag, cancellationToken))
            {
                return new AppendResult(AppendOutcome.UnknownRecipient, null);
            }
            if (cap is { } max)
            {
                var pending = await connection.Command("SELECT COUNT(*) FROM offline_messages WHERE to_tag = $to", transaction)
                    .With("$to", (long)message.ToTag).ScalarInt64Async(cancellationToken);
                if (pending >= max)
                {
                    return new AppendResult(AppendOutcome.RecipientQueueFull, null);
                }
            }
            await connection.Command("""
                INSERT INTO offline_messages (to_tag, from_tag, conversation_tag, sent_at, flags, payload)
                VALUES ($to, $from, $conversation, $sentAt, $flags, $payload)
                """, transaction)
                .With("$to", (long)message.ToTag).With("$from", (long)message.FromTag).With("$conversation", (long)message.ConversationTag)
                .With("$sentAt", SqliteCommands.ToUnixMs(message.SentAt)).With("$flags", (long)message.Flags)
                .With("$payload", SqliteCommands.ToBlob(message.Payload))
                .ExecuteAsync(cancellationToken);
            var id = await connection.Command("SELECT last_insert_rowid()", transaction).ScalarInt64Async(cancellationToken);
            return new AppendResult(AppendOutcome.Stored, id);
        }, cancellationToken);
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

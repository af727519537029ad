// Resumption-ticket operations of the SQLite store: issue (one per device), find by id, revoke.
namespace P2PChat.Rendezvous.Storage;

public sealed partial class SqliteRendezvousStore
{
    public Task<bool> IssueTicketAsync(ResumptionTicket ticket, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return _database.WriteAsync(async (connection, transaction) =>
        {
            await connection.Command("DELETE FROM resumption_tickets WHERE expires_at <= $now", transaction)
                .With("$now", SqliteCommands.ToUnixMs(now)).ExecuteAsync(cancellationToken);
            if (!await AccountExistsAsync(connection, transaction, ticket.UserTag, cancellationToken)) return false;
            await connection.Command("""
                INSERT INTO resumption_tickets (id, user_tag, device_id, device_name, secret_hash, created_at, expires_at)
                VALUES ($id, $user, $device, $name, $hash, $created, $expires)
                ON CONFLICT (user_tag, device_id) DO UPDATE SET id = excluded.id, device_name = excluded.device_name,
                    secret_hash = excluded.secret_hash, created_at = excluded.created_at, expires_at = excluded.expires_at
                """, transaction)
                .With("$id", ticket.Id).With("$user", (long)ticket.UserTag).With("$device", ticket.DeviceId)
                .With("$name", ticket.DeviceName).With("$hash", ticket.SecretHash)
                .With("$created", SqliteCommands.ToUnixMs(ticket.CreatedAt)).With("$expires", SqliteCommands.ToUnixMs(ticket.ExpiresAt))
                .ExecuteAsync(cancellationToken);
            return true;
        }, cancellationToken);
    }

    public Task<ResumptionTicket?> FindTicketAsync(byte[] id, CancellationToken cancellationToken) =>
        QuerySingleAsync("""
            SELECT id, user_tag, device_id, device_name, secret_hash, created_at, expires_at FROM resumption_tickets WHERE id = $id
            """,
            row => new ResumptionTicket(row.BlobAt(0), row.TagAt(1), row.BlobAt(2), row.GetString(3), row.BlobAt(4), row.TimeAt(5), row.TimeAt(6)),
            cancellationToken, ("$id", id));

    public Task<int> RevokeTicketsAsync(uint userTag, byte[]? deviceId, CancellationToken cancellationToken) => deviceId is null
        ? ExecuteWriteAsync("DELETE FROM resumption_tickets WHERE user_tag = $user", cancellationToken, ("$user", (long)userTag))
        : ExecuteWriteAsync("DELETE FROM resumption_tickets WHERE user_tag = $user AND device_id = $device", cancellationToken,
            ("$user", (long)userTag), ("$device", deviceId));
}

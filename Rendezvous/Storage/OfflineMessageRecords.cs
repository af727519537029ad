// Immutable records for messages held for offline recipients.
namespace P2PChat.Rendezvous.Storage;

/// <summary>A message to hold until <see cref="ToTag"/> signs in. <see cref="ConversationTag"/> is the
/// destination user or channel; <see cref="SentAt"/> is kept in UTC with millisecond precision.</summary>
public sealed record NewOfflineMessage(uint FromTag, uint ToTag, uint ConversationTag, DateTimeOffset SentAt, byte Flags, ReadOnlyMemory<byte> Payload)
{
    /// <summary>The largest payload the store accepts.</summary>
    public const int MaxPayloadBytes = 64 * 1024;
}

/// <summary>A stored offline message; <see cref="Id"/> increases with every append and is never reused.</summary>
public sealed record OfflineMessage(long Id, uint FromTag, uint ToTag, uint ConversationTag, DateTimeOffset SentAt, byte Flags, ReadOnlyMemory<byte> Payload);

/// <summary>Result of <see cref="IRendezvousStore.AppendOfflineMessageAsync"/>; <see cref="Id"/> is set when stored.</summary>
public sealed record AppendResult(AppendOutcome Outcome, long? Id);

public enum AppendOutcome
{
    /// <summary>Committed to disk: the sender may be told it was accepted.</summary>
    Stored,
    /// <summary>The recipient already holds the configured maximum of pending messages (or, for a sender who is not
    /// their friend, the maximum non-friends may fill).</summary>
    RecipientQueueFull,
    /// <summary>This sender already holds the configured maximum of pending messages in this recipient's queue.</summary>
    SenderQuotaFull,
    UnknownRecipient,
}

// Immutable records for device-bound resumption tickets.
namespace P2PChat.Rendezvous.Storage;

/// <summary>
/// A resumption ticket as stored: the ticket's public id, the account and device it was issued to, and the SHA-256 of
/// its secret (the secret itself is only ever on the device). Valid until <see cref="ExpiresAt"/> or revocation.
/// </summary>
public sealed record ResumptionTicket(byte[] Id, uint UserTag, byte[] DeviceId, string DeviceName, byte[] SecretHash,
    DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

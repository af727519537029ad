// Makes and checks device-bound resumption tickets: 16-byte id + 32-byte secret; the store keeps only the secret's SHA-256.
using System.Security.Cryptography;
using P2PChat.Rendezvous.Storage;

namespace P2PChat.Rendezvous.Commands;

/// <summary>Why a ticket was refused (the value of STATUS 38).</summary>
public enum TicketRefusal : byte
{
    None = 0,
    /// <summary>Malformed, never issued, replaced by a newer ticket for the device, or revoked.</summary>
    Unknown = 1,
    Expired = 2,
    /// <summary>Presented with a device id other than the one it was issued to.</summary>
    WrongDevice = 3,
}

/// <summary>
/// Ticket bytes (opaque to clients): <c>id (16) | secret (32)</c>, both from the OS's CSPRNG. Only SHA-256(secret) is
/// stored, so a copy of the database does not let anyone resume. Checks compare in constant time. Pure: no I/O, no clock.
/// </summary>
public static class ResumptionTicketCodec
{
    public const int IdSize = 16;
    public const int SecretSize = 32;
    public const int TicketSize = IdSize + SecretSize;

    /// <summary>A new ticket for the device, and the record to store for it.</summary>
    public static (byte[] Ticket, ResumptionTicket Record) Issue(uint userTag, byte[] deviceId, string deviceName, DateTimeOffset now, TimeSpan lifetime)
    {
        var ticket = RandomNumberGenerator.GetBytes(TicketSize);
        var record = new ResumptionTicket(ticket[..IdSize], userTag, deviceId, deviceName, SHA256.HashData(ticket.AsSpan(IdSize)), now, now + lifetime);
        return (ticket, record);
    }

    /// <summary>The id part of a presented ticket, or null when it has the wrong length.</summary>
    public static byte[]? IdOf(byte[] ticket) => ticket.Length == TicketSize ? ticket[..IdSize] : null;

    public static TicketRefusal Check(ResumptionTicket? stored, byte[] ticket, byte[] deviceId, DateTimeOffset now)
    {
        if (stored is null || ticket.Length != TicketSize) return TicketRefusal.Unknown;
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(ticket.AsSpan(IdSize), hash);
        if (!CryptographicOperations.FixedTimeEquals(hash, stored.SecretHash)) return TicketRefusal.Unknown;
        if (!CryptographicOperations.FixedTimeEquals(deviceId, stored.DeviceId)) return TicketRefusal.WrongDevice;
        return stored.ExpiresAt <= now ? TicketRefusal.Expired : TicketRefusal.None;
    }
}

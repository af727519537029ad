// The protector used before a secure channel exists: an 8-byte SHA-256 checksum against corruption, no secrecy.
using System.Security.Cryptography;

namespace P2PChat.Core.Transport.Protection;

/// <summary>
/// Layout: header | plaintext | first 8 bytes of SHA-256(header | plaintext). Catches corrupted datagrams; it gives
/// no confidentiality and no protection against an attacker on the path (the transport's own packet-number
/// dedup still drops exact replays of recent packets). Replace it with a keyed protector as soon as keys exist.
/// </summary>
public sealed class UnkeyedPacketProtector : IPacketProtector
{
    private const int TagLength = 8;

    public int Overhead => TagLength;
    public int PlaintextOffset => 0;

    public int Protect(Span<byte> packet, int headerLength, int plaintextLength)
    {
        int covered = headerLength + plaintextLength;
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(packet[..covered], hash);
        hash[..TagLength].CopyTo(packet[covered..]);
        return covered + TagLength;
    }

    public bool TryUnprotect(Span<byte> packet, int headerLength, out int plaintextStart, out int plaintextLength)
    {
        plaintextStart = headerLength;
        plaintextLength = packet.Length - headerLength - TagLength;
        if (plaintextLength < 0) return false;
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(packet[..^TagLength], hash);
        return CryptographicOperations.FixedTimeEquals(hash[..TagLength], packet[^TagLength..]);
    }
}

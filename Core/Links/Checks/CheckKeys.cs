// The keys of one introduction's checks: derived from the introduction token; seals and verifies check packets.
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace P2PChat.Core.Links.Checks;

/// <summary>
/// Both peers get the same token from the server's introduction (at least 16 random bytes). From it:
/// session id = first 8 bytes of HMAC-SHA256(token, "p2pchat check session v1") (names the introduction on the wire,
/// so one socket can serve several at once) and check key = HMAC-SHA256(token, "p2pchat check key v1"). A stranger
/// (anyone without the token, including an on-path observer of earlier checks) cannot make a packet that verifies;
/// verification is constant-time and happens before any state is created. Replays of a captured packet verify, but
/// a replayed request only earns a same-size answer (rate-limited per session), and a replayed response matches no
/// transaction still open.
/// </summary>
public sealed class CheckKeys
{
    public const int MinTokenLength = 16;
    private readonly byte[] _key;

    public CheckKeys(ReadOnlySpan<byte> token)
    {
        if (token.Length < MinTokenLength) throw new ArgumentException($"an introduction token has at least {MinTokenLength} bytes", nameof(token));
        _key = HMACSHA256.HashData(token, "p2pchat check key v1"u8);
        SessionId = BinaryPrimitives.ReadUInt64BigEndian(HMACSHA256.HashData(token, "p2pchat check session v1"u8));
    }

    public ulong SessionId { get; }

    /// <summary>Writes <paramref name="packet"/> and its MAC into 64 bytes of <paramref name="destination"/>.</summary>
    public void Seal(CheckPacket packet, Span<byte> destination)
    {
        CheckCodec.WriteUnsealed(packet, destination);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, destination[..CheckCodec.MacOffset], mac);
        mac[..CheckCodec.MacLength].CopyTo(destination[CheckCodec.MacOffset..]);
    }

    public byte[] Seal(CheckPacket packet)
    {
        var bytes = new byte[CheckCodec.Length];
        Seal(packet, bytes);
        return bytes;
    }

    /// <summary>True when the 64 bytes carry this introduction's session id and a valid MAC.</summary>
    public bool Verify(ReadOnlySpan<byte> datagram)
    {
        if (!CheckCodec.TryReadSessionId(datagram, out var session) || session != SessionId) return false;
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, datagram[..CheckCodec.MacOffset], mac);
        return CryptographicOperations.FixedTimeEquals(mac[..CheckCodec.MacLength], datagram.Slice(CheckCodec.MacOffset, CheckCodec.MacLength));
    }
}

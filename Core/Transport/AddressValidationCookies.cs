// Stateless address-validation cookies for the Retry packet: proof that a client can receive at its source address.
using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace P2PChat.Core.Transport;

/// <summary>
/// Token layout (24 bytes): issue time (u64 big-endian, Unix ms) | first 16 bytes of
/// HMAC-SHA256(endpoint secret, issue time | client connection id | source address bytes | source port).
/// The secret is random per endpoint, so tokens are only meaningful to the server that issued them; the server keeps
/// no state per token. A token is valid for <c>lifetime</c> after issue.
/// </summary>
internal sealed class AddressValidationCookies(TimeProvider time, TimeSpan lifetime)
{
    public const int TokenLength = 24;
    private readonly byte[] _secret = RandomNumberGenerator.GetBytes(32);

    public void Create(EndPoint remote, ulong clientId, Span<byte> token)
    {
        long issued = time.GetUtcNow().ToUnixTimeMilliseconds();
        BinaryPrimitives.WriteInt64BigEndian(token, issued);
        Mac(issued, remote, clientId, token[8..TokenLength]);
    }

    public bool IsValid(ReadOnlySpan<byte> token, EndPoint remote, ulong clientId)
    {
        if (token.Length != TokenLength) return false;
        long issued = BinaryPrimitives.ReadInt64BigEndian(token);
        long age = time.GetUtcNow().ToUnixTimeMilliseconds() - issued;
        if (age < 0 || age > (long)lifetime.TotalMilliseconds) return false;
        Span<byte> expected = stackalloc byte[16];
        Mac(issued, remote, clientId, expected);
        return CryptographicOperations.FixedTimeEquals(expected, token[8..]);
    }

    private void Mac(long issued, EndPoint remote, ulong clientId, Span<byte> destination)
    {
        Span<byte> input = stackalloc byte[16 + 400];
        BinaryPrimitives.WriteInt64BigEndian(input, issued);
        BinaryPrimitives.WriteUInt64BigEndian(input[8..], clientId);
        int length = 16;
        if (remote is IPEndPoint ip && ip.Address.TryWriteBytes(input[length..], out int written))
        {
            length += written;
            BinaryPrimitives.WriteUInt16BigEndian(input[length..], (ushort)ip.Port);
            length += 2;
        }
        else
        {
            string text = remote.ToString() ?? "";
            length += Encoding.UTF8.GetBytes(text.AsSpan(0, Math.Min(text.Length, 100)), input[length..]);
        }
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_secret, input[..length], mac);
        mac[..destination.Length].CopyTo(destination);
    }
}

// One party's 30-digit fingerprint (what /fingerprint shows); half of a safety number.
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace P2PChat.Core.Crypto.Identity;

/// <summary>
/// Signal's numeric fingerprint, over our identity encoding:
/// <code>
/// H0 = SHA-512( 0x00 0x01 (version, 2 bytes) | identity (131) | UTF-8 user id )
/// Hi = SHA-512( Hi-1 | identity )            for i = 1 .. 5199
/// digits = for each 5-byte chunk c of H5199[0..30): (uint40 big-endian c) mod 100000, as 5 digits
/// </code>
/// 30 digits; shown in six groups of five.
/// </summary>
public static class IdentityFingerprint
{
    public const int Iterations = 5200;
    public const int DigitCount = 30;
    private static readonly byte[] Version = [0x00, 0x01];

    public static string Compute(string userId, IdentityPublicKey identity)
    {
        var key = identity.Encoded;
        var hash = SHA512.HashData([.. Version, .. key, .. Encoding.UTF8.GetBytes(userId)]);
        var buffer = new byte[hash.Length + key.Length];
        key.CopyTo(buffer.AsSpan(hash.Length));
        for (var i = 1; i < Iterations; i++)
        {
            hash.CopyTo(buffer, 0);
            hash = SHA512.HashData(buffer);
        }
        var digits = new StringBuilder(DigitCount);
        Span<byte> wide = stackalloc byte[8];
        for (var chunk = 0; chunk < 6; chunk++)
        {
            hash.AsSpan(chunk * 5, 5).CopyTo(wide[3..]);
            digits.Append((BinaryPrimitives.ReadUInt64BigEndian(wide) % 100000).ToString("D5"));
        }
        return digits.ToString();
    }

    /// <summary>"12345 67890 …": digits in groups of five for reading aloud.</summary>
    public static string Group(string digits) =>
        string.Join(' ', Enumerable.Range(0, digits.Length / 5).Select(i => digits.Substring(i * 5, 5)));
}

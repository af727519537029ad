// The key derivations shared by the ratchet and sender keys: HKDF-SHA256 and the HMAC symmetric-key chain step.
using System.Security.Cryptography;

namespace P2PChat.Core.Crypto.Primitives;

internal static class Kdf
{
    public const int KeyLength = 32;
    private static readonly byte[] MessageKeyConstant = [0x01];
    private static readonly byte[] NextChainKeyConstant = [0x02];

    public static byte[] Hkdf(ReadOnlySpan<byte> ikm, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> info, int length)
    {
        var output = new byte[length];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, output, salt, info);
        return output;
    }

    /// <summary>Chain step: message key = HMAC-SHA256(ck, 0x01), next chain key = HMAC-SHA256(ck, 0x02).</summary>
    public static (byte[] MessageKey, byte[] NextChainKey) ChainStep(ReadOnlySpan<byte> chainKey) =>
        (HMACSHA256.HashData(chainKey, MessageKeyConstant), HMACSHA256.HashData(chainKey, NextChainKeyConstant));

    /// <summary>
    /// The chain key <paramref name="steps"/> chain steps after <paramref name="chainKey"/> (a new array; a copy for 0
    /// steps), deriving no message keys: one HMAC per step into a stack buffer instead of two arrays per
    /// <see cref="ChainStep"/>. The ratchet's sending lease takes 64 steps on every new sending chain.
    /// </summary>
    public static byte[] ChainKeyAfter(ReadOnlySpan<byte> chainKey, uint steps)
    {
        var key = chainKey.ToArray();
        Span<byte> next = stackalloc byte[KeyLength];
        for (uint i = 0; i < steps; i++)
        {
            HMACSHA256.HashData(key, NextChainKeyConstant, next);
            next.CopyTo(key);
        }
        CryptographicOperations.ZeroMemory(next);
        return key;
    }

    /// <summary>Splits 2×32 bytes of HKDF output into two keys (root+chain, or two Noise outputs).</summary>
    public static (byte[] First, byte[] Second) HkdfPair(ReadOnlySpan<byte> ikm, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> info)
    {
        var both = Hkdf(ikm, salt, info, 2 * KeyLength);
        var pair = (both[..KeyLength], both[KeyLength..]);
        CryptographicOperations.ZeroMemory(both);
        return pair;
    }
}

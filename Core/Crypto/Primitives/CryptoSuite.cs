// The suite/version byte carried by every public key and stored blob, so a change of algorithms is a version bump.
namespace P2PChat.Core.Crypto.Primitives;

/// <summary>
/// <code>
/// 0x01  retired: P-256 ECDH/ECDSA, AES-256-GCM, PBKDF2 (refused with <see cref="CryptoFailure.RetiredSuite"/>)
/// 0x02  current: X25519, Ed25519, AES-256-GCM message AEAD, Noise_XX_25519_ChaChaPoly_SHA256, HKDF-SHA256, Argon2id
/// </code>
/// </summary>
public static class CryptoSuite
{
    public const byte RetiredP256 = 0x01;
    public const byte Current = 0x02;

    internal static void Expect(byte found, string what)
    {
        if (found == Current) return;
        if (found == RetiredP256)
            throw new CryptoProtocolException(CryptoFailure.RetiredSuite,
                $"{what} was made by an earlier P2PChat with the retired P-256 suite; it must be made again with this version");
        throw new CryptoProtocolException(CryptoFailure.UnsupportedVersion, $"{what}: unknown suite 0x{found:x2}");
    }
}

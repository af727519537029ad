// The message AEAD of the ratchet, sender keys, the vault and the Noise handshake's ChaChaPoly, with per-message key expansion.
using System.Security.Cryptography;

namespace P2PChat.Core.Crypto.Primitives;

internal static class Aead
{
    /// <summary>The cipher of ratchet and sender-key messages and of vault blobs, chosen by measurement (docs/benchmarks.md).</summary>
    public static readonly AeadCipher Message = AeadCipher.Aes256Gcm;

    public static int KeyLength => Message.KeyLength;
    public static int NonceLength => Message.NonceLength;
    public static int TagLength => Message.TagLength;

    /// <summary>Returns ciphertext ‖ tag under the message cipher.</summary>
    public static byte[] Seal(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData) =>
        Message.Seal(key, nonce, plaintext, associatedData);

    /// <summary>Opens ciphertext ‖ tag; on failure throws AuthenticationFailed and returns nothing.</summary>
    public static byte[] Open(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> sealedData, ReadOnlySpan<byte> associatedData) =>
        Message.Open(key, nonce, sealedData, associatedData);

    /// <summary>
    /// Message-key AEAD: key ‖ nonce = HKDF-SHA256(ikm = message key, salt = 32 zero bytes, info = label,
    /// L = key length + nonce length of the message cipher); each message key is used exactly once.
    /// </summary>
    public static byte[] SealWithMessageKey(ReadOnlySpan<byte> messageKey, ReadOnlySpan<byte> label, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        var material = ExpandMessageKey(messageKey, label);
        try { return Seal(material.AsSpan(0, KeyLength), material.AsSpan(KeyLength), plaintext, associatedData); }
        finally { CryptographicOperations.ZeroMemory(material); }
    }

    public static byte[] OpenWithMessageKey(ReadOnlySpan<byte> messageKey, ReadOnlySpan<byte> label, ReadOnlySpan<byte> sealedData, ReadOnlySpan<byte> associatedData)
    {
        var material = ExpandMessageKey(messageKey, label);
        try { return Open(material.AsSpan(0, KeyLength), material.AsSpan(KeyLength), sealedData, associatedData); }
        finally { CryptographicOperations.ZeroMemory(material); }
    }

    private static byte[] ExpandMessageKey(ReadOnlySpan<byte> messageKey, ReadOnlySpan<byte> label) =>
        Kdf.Hkdf(messageKey, ZeroSalt, label, KeyLength + NonceLength);

    private static readonly byte[] ZeroSalt = new byte[32];
}

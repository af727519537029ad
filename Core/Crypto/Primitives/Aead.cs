// AES-256-GCM (12-byte nonce, 16-byte tag) with rejection as CryptoProtocolException, plus per-message key expansion.
using System.Security.Cryptography;

namespace P2PChat.Core.Crypto.Primitives;

internal static class Aead
{
    public const int KeyLength = 32;
    public const int NonceLength = 12;
    public const int TagLength = 16;

    /// <summary>Returns ciphertext || tag.</summary>
    public static byte[] Seal(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        var output = new byte[plaintext.Length + TagLength];
        using var aes = new AesGcm(key, TagLength);
        aes.Encrypt(nonce, plaintext, output.AsSpan(0, plaintext.Length), output.AsSpan(plaintext.Length), associatedData);
        return output;
    }

    /// <summary>Opens ciphertext || tag; on failure throws AuthenticationFailed and returns nothing.</summary>
    public static byte[] Open(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> sealedData, ReadOnlySpan<byte> associatedData)
    {
        if (sealedData.Length < TagLength)
            throw new CryptoProtocolException(CryptoFailure.Malformed, "ciphertext shorter than the tag");
        var length = sealedData.Length - TagLength;
        var plaintext = new byte[length];
        using var aes = new AesGcm(key, TagLength);
        try
        {
            aes.Decrypt(nonce, sealedData[..length], sealedData[length..], plaintext, associatedData);
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new CryptoProtocolException(CryptoFailure.AuthenticationFailed, "AEAD tag mismatch", e);
        }
        return plaintext;
    }

    /// <summary>
    /// Message-key AEAD: HKDF-SHA256(ikm = message key, salt = 32 zero bytes, info = label, L = 44)
    /// gives AES key (bytes 0..31) and nonce (32..43); each message key is used exactly once.
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

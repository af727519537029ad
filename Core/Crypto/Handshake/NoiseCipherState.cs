// Noise CipherState (k, n): the AEAD with counter nonces used inside the handshake and by Split's two transport states.
using System.Security.Cryptography;

namespace P2PChat.Core.Crypto.Handshake;

/// <summary>
/// Noise section 5.1. Without a key, EncryptWithAd/DecryptWithAd return the input unchanged. n counts up from 0 per key;
/// n = 2^64 − 1 is reserved, so reaching it is KeyExhausted. A failed decryption does not advance n.
/// </summary>
internal sealed class NoiseCipherState(NoiseSuite suite) : IDisposable
{
    public const int TagLength = 16;
    private byte[]? _k;
    private ulong _n;

    public bool HasKey => _k is not null;

    public void InitializeKey(byte[]? key)
    {
        Wipe();
        _k = key;
        _n = 0;
    }

    public byte[] EncryptWithAd(ReadOnlySpan<byte> ad, ReadOnlySpan<byte> plaintext)
    {
        if (_k is null) return plaintext.ToArray();
        var result = suite.Cipher.Seal(_k, NextNonce(), plaintext, ad);
        _n++;
        return result;
    }

    public byte[] DecryptWithAd(ReadOnlySpan<byte> ad, ReadOnlySpan<byte> ciphertext)
    {
        if (_k is null) return ciphertext.ToArray();
        var result = suite.Cipher.Open(_k, NextNonce(), ciphertext, ad);
        _n++;
        return result;
    }

    private byte[] NextNonce()
    {
        if (_n == ulong.MaxValue) throw new CryptoProtocolException(CryptoFailure.KeyExhausted, "Noise nonce exhausted");
        var nonce = new byte[12];
        suite.WriteNonce(_n, nonce);
        return nonce;
    }

    private void Wipe()
    {
        if (_k is not null) CryptographicOperations.ZeroMemory(_k);
    }

    public void Dispose() => Wipe();
}

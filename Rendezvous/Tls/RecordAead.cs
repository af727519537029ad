// One AEAD key of a TLS 1.3 suite (AES-GCM or ChaCha20-Poly1305) behind one small interface.
using System.Security.Cryptography;

namespace P2PChat.Rendezvous.Tls;

/// <summary>Seals and opens with one key; owns the platform's cipher context (native memory) until disposed.</summary>
public sealed class RecordAead : IDisposable
{
    private readonly AesGcm? _aes;
    private readonly ChaCha20Poly1305? _chacha;

    public RecordAead(TlsCipherSuite suite, ReadOnlySpan<byte> key)
    {
        if (suite == TlsCipherSuite.ChaCha20Poly1305Sha256) _chacha = new ChaCha20Poly1305(key);
        else _aes = new AesGcm(key, TlsCipherSuites.TagLength);
    }

    public void Encrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag, ReadOnlySpan<byte> aad)
    {
        if (_aes is not null) _aes.Encrypt(nonce, plaintext, ciphertext, tag, aad);
        else _chacha!.Encrypt(nonce, plaintext, ciphertext, tag, aad);
    }

    /// <exception cref="AuthenticationTagMismatchException">the record was not sealed with this key, nonce and header.</exception>
    public void Decrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> aad)
    {
        if (_aes is not null) _aes.Decrypt(nonce, ciphertext, tag, plaintext, aad);
        else _chacha!.Decrypt(nonce, ciphertext, tag, plaintext, aad);
    }

    public void Dispose()
    {
        _aes?.Dispose();
        _chacha?.Dispose();
    }
}

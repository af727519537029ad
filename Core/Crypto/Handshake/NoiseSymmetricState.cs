// Noise SymmetricState (ck, h and a CipherState) with SHA-256 and the suite's cipher, as in section 5.2 of the spec.
using System.Security.Cryptography;
using P2PChat.Core.Crypto.Primitives;

namespace P2PChat.Core.Crypto.Handshake;

/// <summary>
/// <code>
/// Initialize(name):  h = name padded with zeros to 32 bytes if it is at most 32 bytes, else SHA-256(name); ck = h
/// MixHash(data):     h = SHA-256(h | data)
/// MixKey(ikm):       (ck, temp_k) = HKDF(ck, ikm, 2); k = temp_k; n = 0
/// EncryptAndHash(p): c = ENCRYPT(k, n++, ad = h, p) (c = p before the first MixKey); MixHash(c)
/// DecryptAndHash(c): p = DECRYPT(k, n++, ad = h, c); MixHash(c)
/// Split():           (k1, k2) = HKDF(ck, empty, 2)
/// HKDF(ck, ikm, 2):  temp = HMAC-SHA256(ck, ikm); out1 = HMAC-SHA256(temp, 0x01); out2 = HMAC-SHA256(temp, out1 | 0x02)
/// </code>
/// </summary>
internal sealed class NoiseSymmetricState : IDisposable
{
    public const int HashLength = 32;
    private static readonly byte[] FirstOutputSuffix = [0x01];
    private readonly NoiseCipherState _cipher;
    private byte[] _ck;
    private byte[] _h;

    public NoiseSymmetricState(NoiseSuite suite, ReadOnlySpan<byte> prologue)
    {
        _cipher = new NoiseCipherState(suite);
        var name = suite.ProtocolName;
        _h = name.Length <= HashLength ? [.. name, .. new byte[HashLength - name.Length]] : SHA256.HashData(name);
        _ck = _h.ToArray();
        MixHash(prologue);
    }

    public ReadOnlySpan<byte> HandshakeHash => _h;
    public bool HasKey => _cipher.HasKey;

    public void MixHash(ReadOnlySpan<byte> data) => _h = SHA256.HashData([.. _h, .. data]);

    public void MixKey(byte[] inputKeyMaterial)
    {
        var (ck, k) = Hkdf(_ck, inputKeyMaterial);
        CryptographicOperations.ZeroMemory(inputKeyMaterial);
        CryptographicOperations.ZeroMemory(_ck);
        _ck = ck;
        _cipher.InitializeKey(k);
    }

    public byte[] EncryptAndHash(ReadOnlySpan<byte> plaintext)
    {
        var ciphertext = _cipher.EncryptWithAd(_h, plaintext);
        MixHash(ciphertext);
        return ciphertext;
    }

    public byte[] DecryptAndHash(ReadOnlySpan<byte> ciphertext)
    {
        var plaintext = _cipher.DecryptWithAd(_h, ciphertext);
        MixHash(ciphertext);
        return plaintext;
    }

    /// <summary>(k1, k2): the initiator sends with k1, the responder with k2.</summary>
    public (byte[] InitiatorToResponder, byte[] ResponderToInitiator) Split() => Hkdf(_ck, []);

    // Noise's HKDF with two outputs, spelled out with HMAC (the BCL's HKDF refuses the empty ikm that Split uses).
    private static (byte[] First, byte[] Second) Hkdf(ReadOnlySpan<byte> chainingKey, ReadOnlySpan<byte> inputKeyMaterial)
    {
        var temp = HMACSHA256.HashData(chainingKey, inputKeyMaterial);
        var first = HMACSHA256.HashData(temp, FirstOutputSuffix);
        byte[] secondInput = [.. first, 0x02];
        var second = HMACSHA256.HashData(temp, secondInput);
        CryptographicOperations.ZeroMemory(temp);
        CryptographicOperations.ZeroMemory(secondInput);
        return (first, second);
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_ck);
        _cipher.Dispose();
    }
}

// Noise SymmetricState (ck, h, k, n) with P-256 ECDH, AES-256-GCM and SHA-256, as used by the link handshake.
using System.Buffers.Binary;
using System.Security.Cryptography;
using P2PChat.Core.Crypto.Primitives;

namespace P2PChat.Core.Crypto.Link;

/// <summary>
/// As in the Noise spec, section 5.2:
/// <code>
/// Initialize: h = protocol name (exactly 32 bytes), ck = h; then MixHash(prologue)
/// MixHash(data):  h = SHA-256(h | data)
/// MixKey(ikm):    (ck, k) = HKDF-SHA256(salt = ck, ikm, info = empty, L = 64), i.e. Noise's HKDF(ck, ikm, 2); n = 0
/// EncryptAndHash: c = AES-256-GCM(k, nonce = 0x00000000 | n u64 BE, ad = h, plaintext); n++; MixHash(c)
///                 (before the first MixKey there is no k: c = plaintext)
/// Split():        (k1, k2) = HKDF(ck, ikm = empty, 2)
/// </code>
/// </summary>
internal sealed class NoiseSymmetricState : IDisposable
{
    private static readonly byte[] FirstOutputSuffix = [0x01];
    private byte[] _ck;
    private byte[] _h;
    private byte[]? _k;
    private ulong _n;

    public NoiseSymmetricState(ReadOnlySpan<byte> protocolName, ReadOnlySpan<byte> prologue)
    {
        if (protocolName.Length != 32) throw new ArgumentException("protocol name must be 32 bytes", nameof(protocolName));
        _h = protocolName.ToArray();
        _ck = protocolName.ToArray();
        MixHash(prologue);
    }

    public ReadOnlySpan<byte> HandshakeHash => _h;

    public void MixHash(ReadOnlySpan<byte> data) => _h = SHA256.HashData([.. _h, .. data]);

    public void MixKey(byte[] inputKeyMaterial)
    {
        var (ck, k) = NoiseHkdf(_ck, inputKeyMaterial);
        CryptographicOperations.ZeroMemory(inputKeyMaterial);
        Wipe();
        (_ck, _k, _n) = (ck, k, 0);
    }

    public byte[] EncryptAndHash(ReadOnlySpan<byte> plaintext)
    {
        var ciphertext = _k is null ? plaintext.ToArray() : Aead.Seal(_k, NextNonce(), plaintext, _h);
        MixHash(ciphertext);
        return ciphertext;
    }

    public byte[] DecryptAndHash(ReadOnlySpan<byte> ciphertext)
    {
        var plaintext = _k is null ? ciphertext.ToArray() : Aead.Open(_k, NextNonce(), ciphertext, _h);
        MixHash(ciphertext);
        return plaintext;
    }

    public int CiphertextLength(int plaintextLength) => plaintextLength + (_k is null ? 0 : Aead.TagLength);

    public (byte[] InitiatorToResponder, byte[] ResponderToInitiator) Split() => NoiseHkdf(_ck, []);

    // Noise HKDF(ck, ikm) with two outputs, spelled out with HMAC-SHA256 (equal to RFC 5869 HKDF with empty info;
    // the BCL's HKDF refuses the empty ikm that Split uses):
    // temp = HMAC(ck, ikm); out1 = HMAC(temp, 0x01); out2 = HMAC(temp, out1 | 0x02).
    private static (byte[] First, byte[] Second) NoiseHkdf(ReadOnlySpan<byte> chainingKey, ReadOnlySpan<byte> inputKeyMaterial)
    {
        var temp = HMACSHA256.HashData(chainingKey, inputKeyMaterial);
        var first = HMACSHA256.HashData(temp, FirstOutputSuffix);
        byte[] secondInput = [.. first, 0x02];
        var second = HMACSHA256.HashData(temp, secondInput);
        CryptographicOperations.ZeroMemory(temp);
        return (first, second);
    }

    private byte[] NextNonce()
    {
        var nonce = new byte[Aead.NonceLength];
        BinaryPrimitives.WriteUInt64BigEndian(nonce.AsSpan(4), _n++);
        return nonce;
    }

    private void Wipe()
    {
        CryptographicOperations.ZeroMemory(_ck);
        if (_k is not null) CryptographicOperations.ZeroMemory(_k);
    }

    public void Dispose() => Wipe();
}

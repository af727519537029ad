// Noise SymmetricState (ck, h, k, n) with P-256 ECDH, AES-256-GCM and SHA-256, as used by the link handshake.
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace P2PChat.Core.Crypto;

/// <summary>
/// As in the Noise spec, section 5.2:
/// <code>
/// Initialize: h = protocol name (exactly 32 bytes), ck = h; then MixHash(prologue)
/// MixHash(data):  h = SHA-256(h | data)
/// MixKey(ikm):    (ck, k) = HKDF-SHA256(salt = ck, ikm, info = empty, L = 64); n = 0
/// EncryptAndHash: c = AES-256-GCM(k, nonce = 0x00000000 | n u64 BE, ad = h, plaintext); n++; MixHash(c)
///                 (before the first MixKey there is no k: c = plaintext)
/// Split():        (k1, k2) = HKDF-SHA256(salt = ck, ikm = empty, info = empty, L = 64)
/// </code>
/// </summary>
internal sealed class NoiseSymmetricState : IDisposable
{
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
        var (ck, k) = Kdf.HkdfPair(inputKeyMaterial, _ck, []);
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

    public (byte[] InitiatorToResponder, byte[] ResponderToInitiator) Split() => Kdf.HkdfPair([], _ck, []);

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

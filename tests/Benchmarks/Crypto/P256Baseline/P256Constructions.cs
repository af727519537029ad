// Benchmark baseline only: the retired P-256 product's X3DH start, DH ratchet step and Noise-XX-over-P-256 link handshake, by their work.
using System.Security.Cryptography;

namespace P2PChat.Benchmarks.Crypto.P256Baseline;

/// <summary>
/// The asymmetric work of each operation exactly as the P-256 product did it (same counts of key generations, point
/// imports, ECDH and ECDSA, same symmetric steps: HKDF-SHA256, HMAC chain steps, AES-256-GCM, SHA-256 hashing), without
/// the codecs around them. Counts, from the removed code:
/// <code>
/// X3DH start + first message, both sides: verify signed prekey (ECDSA), initiator 1 ephemeral + 4 ECDH, ratchet init
///   1 keygen + 1 ECDH; responder 4 ECDH, then its first decrypt steps the ratchet: 1 keygen + 2 ECDH
/// DH ratchet ping-pong (2 messages): per message 1 keygen + 2 ECDH on the receiver, plus chain step and AEAD
/// link handshake (Noise XX, 131-byte identities): 2 ephemeral keygens, 6 ECDH, 4 identity points validated, 4 seal/open
/// </code>
/// </summary>
internal sealed class P256Constructions : IDisposable
{
    private static readonly byte[] Info = "P2PChat X3DH v1"u8.ToArray();
    private static readonly byte[] One = [1];
    private readonly P256Key _aliceIdentity = P256Key.Generate();
    private readonly P256Key _bobIdentity = P256Key.Generate();
    private readonly P256Key _bobSignedPrekey = P256Key.Generate();
    private readonly P256Key _bobOneTime = P256Key.Generate();
    private readonly P256Signer _bobSigning = new();
    private readonly P256Signer _aliceSigning = new();
    private readonly byte[] _prekeySignature;

    public P256Constructions() => _prekeySignature = _bobSigning.Sign(SignedData());

    private byte[] SignedData() => [.. "P2PChat signed prekey v1"u8, 0, 0, 0, 1, .. _bobSignedPrekey.PublicKey];

    public byte[] X3dhStart()
    {
        if (!P256Signer.Verify(_bobSigning.PublicKey, SignedData(), _prekeySignature)) throw new CryptographicException();
        using var ephemeral = P256Key.Generate();
        var secret = Derive(_aliceIdentity.Agree(_bobSignedPrekey.PublicKey), ephemeral.Agree(_bobIdentity.PublicKey),
            ephemeral.Agree(_bobSignedPrekey.PublicKey), ephemeral.Agree(_bobOneTime.PublicKey));
        using var aliceRatchet = P256Key.Generate();
        var (root, chain) = RootStep(secret, aliceRatchet.Agree(_bobSignedPrekey.PublicKey));
        var envelope = Seal(chain, "hi"u8.ToArray());
        var bobSecret = Derive(_bobSignedPrekey.Agree(_aliceIdentity.PublicKey), _bobIdentity.Agree(ephemeral.PublicKey),
            _bobSignedPrekey.Agree(ephemeral.PublicKey), _bobOneTime.Agree(ephemeral.PublicKey));
        var (bobRoot, bobChain) = RootStep(bobSecret, _bobSignedPrekey.Agree(aliceRatchet.PublicKey));
        using var bobRatchet = P256Key.Generate();
        RootStep(bobRoot, bobRatchet.Agree(aliceRatchet.PublicKey));
        _ = root;
        return Open(bobChain, envelope);
    }

    public byte[] RatchetStep(P256Key receiver, P256Key senderRatchet, byte[] rootKey, byte[] plaintext)
    {
        var (root, chain) = RootStep(rootKey, receiver.Agree(senderRatchet.PublicKey));
        using var next = P256Key.Generate();
        RootStep(root, next.Agree(senderRatchet.PublicKey));
        return Open(chain, Seal(chain, plaintext));
    }

    public byte[] LinkHandshake()
    {
        using var ei = P256Key.Generate();
        using var er = P256Key.Generate();
        var h = SHA256.HashData("P2PChat_XX_P256_AESGCM_SHA256_v1"u8);
        foreach (var point in new[] { _aliceIdentity.PublicKey, _aliceSigning.PublicKey, _bobIdentity.PublicKey, _bobSigning.PublicKey })
            P256Key.ImportPublic(point).Dispose();
        byte[] ck = h;
        ck = Mix(ck, ei.Agree(er.PublicKey)); ck = Mix(ck, er.Agree(ei.PublicKey));           // ee, both sides
        ck = Mix(ck, ei.Agree(_bobIdentity.PublicKey)); ck = Mix(ck, _bobIdentity.Agree(ei.PublicKey)); // es
        ck = Mix(ck, _aliceIdentity.Agree(er.PublicKey)); ck = Mix(ck, er.Agree(_aliceIdentity.PublicKey)); // se
        var identity = new byte[131];
        for (var i = 0; i < 2; i++) Open(ck, Seal(ck, identity));
        return Open(ck, Seal(ck, h));
    }

    private static byte[] Mix(byte[] ck, byte[] dh) => HKDF.DeriveKey(HashAlgorithmName.SHA256, dh, 32, ck, []);

    private static byte[] Derive(params byte[][] dhs) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, [.. Enumerable.Repeat((byte)0xFF, 32), .. dhs.SelectMany(d => d)], 32, new byte[32], Info);

    private static (byte[] Root, byte[] Chain) RootStep(byte[] root, byte[] dh)
    {
        var both = HKDF.DeriveKey(HashAlgorithmName.SHA256, dh, 64, root, "P2PChat ratchet root v1"u8.ToArray());
        return (both[..32], both[32..]);
    }

    private static byte[] Seal(byte[] chainKey, byte[] plaintext)
    {
        var mk = HMACSHA256.HashData(chainKey, One);
        var material = HKDF.DeriveKey(HashAlgorithmName.SHA256, mk, 44, new byte[32], "P2PChat ratchet message v1"u8.ToArray());
        using var aes = new AesGcm(material.AsSpan(0, 32), 16);
        var output = new byte[plaintext.Length + 16];
        aes.Encrypt(material.AsSpan(32), plaintext, output.AsSpan(0, plaintext.Length), output.AsSpan(plaintext.Length));
        return output;
    }

    private static byte[] Open(byte[] chainKey, byte[] sealedData)
    {
        var mk = HMACSHA256.HashData(chainKey, One);
        var material = HKDF.DeriveKey(HashAlgorithmName.SHA256, mk, 44, new byte[32], "P2PChat ratchet message v1"u8.ToArray());
        using var aes = new AesGcm(material.AsSpan(0, 32), 16);
        var plaintext = new byte[sealedData.Length - 16];
        aes.Decrypt(material.AsSpan(32), sealedData.AsSpan(0, plaintext.Length), sealedData.AsSpan(plaintext.Length), plaintext);
        return plaintext;
    }

    public void Dispose()
    {
        foreach (var key in new[] { _aliceIdentity, _bobIdentity, _bobSignedPrekey, _bobOneTime }) key.Dispose();
        _bobSigning.Dispose();
        _aliceSigning.Dispose();
    }
}

// X3DH asynchronous key agreement over X25519 (Signal's X3DH with our labels): both sides derive the same secret from identity, prekey and ephemeral keys.
using System.Security.Cryptography;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Crypto.Primitives;

namespace P2PChat.Core.Crypto.Prekeys;

/// <summary>
/// Initiator A (identity IK_A, ephemeral EK_A) and responder B (identity IK_B, signed prekey SPK_B, optional one-time OPK_B):
/// <code>
/// DH1 = X25519(IK_A, SPK_B)   DH2 = X25519(EK_A, IK_B)   DH3 = X25519(EK_A, SPK_B)   DH4 = X25519(EK_A, OPK_B)  (if present)
/// SK  = HKDF-SHA256(salt = 32 × 0x00, ikm = 32 × 0xFF | DH1 | DH2 | DH3 [| DH4], info = "P2PChat X3DH v1", L = 32)
/// AD  = identity(A) (65) | identity(B) (65)
/// </code>
/// IK here is the X25519 agreement key of the identity (no XEdDSA conversion is needed: the identity carries both keys);
/// the signed prekey's Ed25519 signature is checked before any DH, and a low-order key anywhere is InvalidKey.
/// </summary>
internal static class X3dh
{
    private static readonly byte[] Prefix = Enumerable.Repeat((byte)0xFF, 32).ToArray();
    private static readonly byte[] Salt = new byte[32];

    public static byte[] InitiatorSecret(IdentityKeyPair initiator, AgreementKeyPair ephemeral, PrekeyBundle bundle)
    {
        bundle.Verify();
        return Derive(
            initiator.Agreement.Agree(bundle.SignedPrekey.PublicKey.Span),
            ephemeral.Agree(bundle.Identity.AgreementKey),
            ephemeral.Agree(bundle.SignedPrekey.PublicKey.Span),
            bundle.OneTimePrekey is { } oneTime ? ephemeral.Agree(oneTime.PublicKey.Span) : null);
    }

    public static byte[] ResponderSecret(IdentityKeyPair responder, IdentityPublicKey initiator, ReadOnlySpan<byte> baseKey, PrekeyPair signedPrekey, PrekeyPair? oneTimePrekey) =>
        Derive(
            signedPrekey.Key.Agree(initiator.AgreementKey),
            responder.Agreement.Agree(baseKey),
            signedPrekey.Key.Agree(baseKey),
            oneTimePrekey?.Key.Agree(baseKey));

    public static byte[] AssociatedData(IdentityPublicKey initiator, IdentityPublicKey responder) =>
        [.. initiator.Encoded, .. responder.Encoded];

    private static byte[] Derive(byte[] dh1, byte[] dh2, byte[] dh3, byte[]? dh4)
    {
        byte[] ikm = [.. Prefix, .. dh1, .. dh2, .. dh3, .. dh4 ?? []];
        try { return Kdf.Hkdf(ikm, Salt, ProtocolLabels.X3dh, Kdf.KeyLength); }
        finally
        {
            foreach (var secret in new[] { ikm, dh1, dh2, dh3, dh4 ?? [] }) CryptographicOperations.ZeroMemory(secret);
        }
    }
}

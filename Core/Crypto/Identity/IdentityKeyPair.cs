// A user's long-term identity (signing + agreement keys); made on the peer, never leaves it except sealed in the vault.
using System.Security.Cryptography;
using P2PChat.Core.Crypto.Primitives;

namespace P2PChat.Core.Crypto.Identity;

/// <summary>
/// Private export layout (65 bytes, to be sealed by <see cref="ProfileKeyVault"/>):
/// <code>version 0x01 (1) | signing scalar d (32) | agreement scalar d (32)</code>
/// </summary>
public sealed class IdentityKeyPair : IDisposable
{
    private const byte PrivateVersion = 0x01;
    private const int PrivateLength = 1 + 2 * P256.PrivateKeyLength;
    private readonly byte[] _signingPrivate;
    private readonly ECDsa _signing;

    private IdentityKeyPair(byte[] signingPrivate, P256KeyPair agreement)
    {
        _signing = P256.ImportSigningPrivate(signingPrivate);
        _signingPrivate = signingPrivate;
        Agreement = agreement;
        var signingPublic = P256.EncodePublic(_signing.ExportParameters(includePrivateParameters: false));
        Public = IdentityPublicKey.FromKeys(signingPublic, agreement.PublicKey.Span);
    }

    public IdentityPublicKey Public { get; }

    internal P256KeyPair Agreement { get; }

    public static IdentityKeyPair Generate(IKeySource? keys = null)
    {
        keys ??= SystemKeySource.Instance;
        return new IdentityKeyPair(keys.NewP256PrivateKey(), P256KeyPair.Generate(keys));
    }

    /// <summary>ECDSA P-256 / SHA-256 signature in IEEE P1363 form (r | s, 64 bytes).</summary>
    public byte[] Sign(ReadOnlySpan<byte> data) =>
        _signing.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    public byte[] ExportPrivate() =>
        new ByteWriter(PrivateLength).Byte(PrivateVersion).Bytes(_signingPrivate).Bytes(Agreement.PrivateKey).ToArray();

    public static IdentityKeyPair ImportPrivate(ReadOnlySpan<byte> exported)
    {
        var reader = new ByteReader(exported);
        reader.ExpectVersion(PrivateVersion, "identity private key");
        var signing = reader.ReadArray(P256.PrivateKeyLength);
        var agreement = P256KeyPair.FromPrivateKey(reader.ReadBytes(P256.PrivateKeyLength));
        reader.ExpectEnd("identity private key");
        return new IdentityKeyPair(signing, agreement);
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_signingPrivate);
        _signing.Dispose();
        Agreement.Dispose();
    }
}

// A user's long-term identity (Ed25519 signing + X25519 agreement keys); made on the peer, never leaves it except sealed in the vault.
using P2PChat.Core.Bytes;
using P2PChat.Core.Crypto.Primitives;

namespace P2PChat.Core.Crypto.Identity;

/// <summary>
/// Private export layout (65 bytes, to be sealed by <see cref="ProfileKeyVault"/>):
/// <code>suite 0x02 (1) | Ed25519 seed (32) | X25519 private key (32)</code>
/// </summary>
public sealed class IdentityKeyPair : IDisposable
{
    private const int PrivateLength = 1 + SigningKeyPair.PrivateKeyLength + AgreementKeyPair.PrivateKeyLength;
    private readonly SigningKeyPair _signing;

    private IdentityKeyPair(SigningKeyPair signing, AgreementKeyPair agreement)
    {
        _signing = signing;
        Agreement = agreement;
        Public = IdentityPublicKey.FromKeys(signing.PublicKey.Span, agreement.PublicKey.Span);
    }

    public IdentityPublicKey Public { get; }

    internal AgreementKeyPair Agreement { get; }

    public static IdentityKeyPair Generate(IKeySource? keys = null)
    {
        keys ??= SystemKeySource.Instance;
        return new IdentityKeyPair(SigningKeyPair.Generate(keys), AgreementKeyPair.Generate(keys));
    }

    /// <summary>Ed25519 signature (64 bytes).</summary>
    public byte[] Sign(ReadOnlySpan<byte> data) => _signing.Sign(data);

    public byte[] ExportPrivate()
    {
        var signing = _signing.ExportPrivate();
        var agreement = Agreement.ExportPrivate();
        try { return new ByteWriter(PrivateLength).Byte(CryptoSuite.Current).Bytes(signing).Bytes(agreement).ToArray(); }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(signing);
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(agreement);
        }
    }

    /// <summary>Throws RetiredSuite for an identity written by the P-256 version, Malformed or InvalidKey for damage.</summary>
    public static IdentityKeyPair ImportPrivate(ReadOnlySpan<byte> exported)
    {
        var reader = CryptoBytes.Reader(exported);
        reader.ExpectSuite("identity private key");
        var signing = SigningKeyPair.FromPrivateKey(reader.ReadBytes(SigningKeyPair.PrivateKeyLength));
        var agreement = AgreementKeyPair.FromPrivateKey(reader.ReadBytes(AgreementKeyPair.PrivateKeyLength));
        reader.ExpectEnd("identity private key");
        return new IdentityKeyPair(signing, agreement);
    }

    public void Dispose()
    {
        _signing.Dispose();
        Agreement.Dispose();
    }
}

// An owned P-256 ECDH key pair (ephemeral, prekey or ratchet key); wipes its scalar on Dispose.
using System.Security.Cryptography;

namespace P2PChat.Core.Crypto.Primitives;

public sealed class P256KeyPair : IDisposable
{
    private readonly byte[] _privateKey;
    private readonly ECDiffieHellman _key;
    private bool _disposed;

    private P256KeyPair(byte[] privateKey)
    {
        _key = P256.ImportAgreementPrivate(privateKey);
        _privateKey = privateKey;
        PublicKey = P256.EncodePublic(_key.ExportParameters(includePrivateParameters: false));
    }

    /// <summary>Uncompressed SEC1 public point, 65 bytes.</summary>
    public ReadOnlyMemory<byte> PublicKey { get; }

    public static P256KeyPair Generate(IKeySource keys) => new(keys.NewP256PrivateKey());

    /// <summary>Imports a 32-byte scalar (copied); throws InvalidKey if it is 0 or not below the group order.</summary>
    public static P256KeyPair FromPrivateKey(ReadOnlySpan<byte> privateKey) => new(privateKey.ToArray());

    /// <summary>Raw ECDH with a peer public key: the 32-byte X coordinate of the shared point.</summary>
    public byte[] Agree(ReadOnlySpan<byte> remotePublicKey)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var remote = P256.ImportAgreementPublic(remotePublicKey);
        return _key.DeriveRawSecretAgreement(remote.PublicKey);
    }

    internal ReadOnlySpan<byte> PrivateKey
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _privateKey;
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        CryptographicOperations.ZeroMemory(_privateKey);
        _key.Dispose();
    }
}

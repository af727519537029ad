// The BCL baseline shared by the crypto suites: one raw P-256 ECDH derivation between two pre-made keys.
using System.Security.Cryptography;

namespace P2PChat.Benchmarks.Crypto;

public sealed class RawEcdhBaseline : IDisposable
{
    private readonly ECDiffieHellman _private = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDiffieHellmanPublicKey _peer;

    public RawEcdhBaseline()
    {
        using var peer = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        _peer = peer.PublicKey;
    }

    public byte[] Derive() => _private.DeriveRawSecretAgreement(_peer);

    public void Dispose()
    {
        _private.Dispose();
        _peer.Dispose();
    }
}

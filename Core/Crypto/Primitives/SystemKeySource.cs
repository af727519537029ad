// The production key source: OpenSSL key generation and the OS CSPRNG.
using System.Security.Cryptography;

namespace P2PChat.Core.Crypto.Primitives;

public sealed class SystemKeySource : IKeySource
{
    public static SystemKeySource Instance { get; } = new();

    private SystemKeySource() { }

    public byte[] NewP256PrivateKey()
    {
        using var key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportParameters(includePrivateParameters: true).D!;
    }

    public void Fill(Span<byte> destination) => RandomNumberGenerator.Fill(destination);
}

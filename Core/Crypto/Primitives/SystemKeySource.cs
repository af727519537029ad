// The production key source: the OS CSPRNG.
using System.Security.Cryptography;

namespace P2PChat.Core.Crypto.Primitives;

public sealed class SystemKeySource : IKeySource
{
    public static SystemKeySource Instance { get; } = new();

    private SystemKeySource() { }

    public byte[] NewPrivateKey() => RandomNumberGenerator.GetBytes(32);

    public void Fill(Span<byte> destination) => RandomNumberGenerator.Fill(destination);
}

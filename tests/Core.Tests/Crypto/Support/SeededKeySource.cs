// Deterministic IKeySource for known-answer tests: every key and random byte follows from a seed string.
using System.Security.Cryptography;
using System.Text;
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Primitives;

namespace P2PChat.Core.Tests.Crypto.Support;

/// <summary>
/// Output i = HKDF-SHA256(ikm = UTF-8 seed, salt = empty, info = "key" or "rnd" | i as decimal). A candidate scalar
/// that is not a valid P-256 private key (probability ~2^-32) is skipped. Never use outside tests.
/// </summary>
internal sealed class SeededKeySource(string seed) : IKeySource
{
    private readonly byte[] _seed = Encoding.UTF8.GetBytes(seed);
    private int _counter;

    public byte[] NewP256PrivateKey()
    {
        while (true)
        {
            var candidate = Next("key", 32);
            try
            {
                using var probe = P256KeyPair.FromPrivateKey(candidate);
                return candidate;
            }
            catch (CryptoProtocolException) { }
        }
    }

    public void Fill(Span<byte> destination) => Next("rnd", destination.Length).CopyTo(destination);

    private byte[] Next(string kind, int length) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, _seed, length, [], Encoding.ASCII.GetBytes(kind + _counter++));
}

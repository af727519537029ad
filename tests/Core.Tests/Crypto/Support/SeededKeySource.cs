// Deterministic IKeySource for known-answer tests: every key and random byte follows from a seed string.
using System.Security.Cryptography;
using System.Text;
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Primitives;

namespace P2PChat.Core.Tests.Crypto.Support;

/// <summary>
/// Output i = HKDF-SHA256(ikm = UTF-8 seed, salt = empty, info = "key" or "rnd" | i as decimal). Every 32-byte string is
/// a valid X25519 private key and Ed25519 seed, so no candidate is skipped. Never use outside tests.
/// </summary>
internal sealed class SeededKeySource(string seed) : IKeySource
{
    private readonly byte[] _seed = Encoding.UTF8.GetBytes(seed);
    private int _counter;

    public byte[] NewPrivateKey() => Next("key", 32);

    public void Fill(Span<byte> destination) => Next("rnd", destination.Length).CopyTo(destination);

    private byte[] Next(string kind, int length) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, _seed, length, [], Encoding.ASCII.GetBytes(kind + _counter++));
}

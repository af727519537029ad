// The AEAD choice by measurement: AES-256-GCM (BCL) against ChaCha20-Poly1305, AEGIS-128L and AEGIS-256 (NSec), for packets and messages.
using BenchmarkDotNet.Attributes;
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Primitives;

namespace P2PChat.Benchmarks.Crypto;

/// <summary>
/// Packets: a 1200-byte seal + open under a key imported once (what a link does per packet).
/// Messages: a 140-byte seal + open under a key imported for that one message (what the ratchet and sender keys do:
/// every message key is fresh), so key setup counts.
/// </summary>
[MemoryDiagnoser]
public class AeadChoiceBenchmarks
{
    [Params("AES-256-GCM", "ChaCha20-Poly1305", "AEGIS-128L", "AEGIS-256")]
    public string Cipher { get; set; } = "";

    private AeadCipher _cipher = null!;
    private AeadKey _key = null!;
    private byte[] _rawKey = [];
    private byte[] _nonce = [];
    private readonly byte[] _packet = new byte[1200];
    private readonly byte[] _message = new byte[140];
    private byte[] _sealedPacket = [];
    private readonly byte[] _openedPacket = new byte[1200];

    [GlobalSetup]
    public void Setup()
    {
        _cipher = Cipher switch
        {
            "AES-256-GCM" => AeadCipher.Aes256Gcm,
            "ChaCha20-Poly1305" => AeadCipher.ChaCha20Poly1305,
            "AEGIS-128L" => AeadCipher.Aegis128L,
            _ => AeadCipher.Aegis256,
        };
        _rawKey = new byte[_cipher.KeyLength];
        Random.Shared.NextBytes(_rawKey);
        _nonce = new byte[_cipher.NonceLength];
        _key = _cipher.CreateKey(_rawKey);
        _sealedPacket = new byte[1200 + _cipher.TagLength];
    }

    [Benchmark(Description = "1200-byte packet: seal + open, key kept")]
    public bool Packet()
    {
        _key.Seal(_nonce, _packet, [], _sealedPacket);
        return _key.TryOpen(_nonce, _sealedPacket, [], _openedPacket);
    }

    [Benchmark(Description = "140-byte message: seal + open, fresh key each")]
    public byte[] Message() => _cipher.Open(_rawKey, _nonce, _cipher.Seal(_rawKey, _nonce, _message, []), []);

    [GlobalCleanup]
    public void Cleanup() => _key.Dispose();
}

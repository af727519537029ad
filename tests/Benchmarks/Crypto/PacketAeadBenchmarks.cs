// AEAD throughput on the transport path (1200-byte packets under link keys, AEGIS-128L), next to the AES-256-GCM protector links used before and raw BCL AES-256-GCM.
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Crypto.Handshake;
using P2PChat.Core.Crypto.Vault;
using P2PChat.Core.Links;
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Protection;
using P2PChat.Core.Transport.Wire;

namespace P2PChat.Benchmarks.Crypto;

/// <summary>
/// The link keys go through <see cref="LinkProtection"/> into the transport's protector, exactly as a secure link does;
/// each operation protects one data packet in place (clear header authenticated, packet number masked) and opens it
/// on the other side (replay window checked).
/// </summary>
[MemoryDiagnoser]
public class PacketAeadBenchmarks
{
    public const int PacketSize = 1200;
    private const int Header = DataPacketLayout.HeaderLength;
    private readonly byte[] _plaintext = new byte[PacketSize];
    private readonly byte[] _opened = new byte[PacketSize];
    private readonly byte[] _ciphertext = new byte[PacketSize];
    private readonly byte[] _tag = new byte[16];
    private readonly byte[] _nonce = new byte[12];
    private byte[] _packet = [];
    private LinkKeys _aliceKeys = null!;
    private LinkKeys _bobKeys = null!;
    private IPacketProtector _alice = null!;
    private IPacketProtector _bob = null!;
    private AesGcm _raw = null!;
    private AesGcmPacketProtector _aesAlice = null!;
    private AesGcmPacketProtector _aesBob = null!;
    private byte[] _aesPacket = [];

    [GlobalSetup]
    public void Setup()
    {
        using var aliceIdentity = IdentityKeyPair.Generate();
        using var bobIdentity = IdentityKeyPair.Generate();
        var key = RandomNumberGenerator.GetBytes(32);
        var other = RandomNumberGenerator.GetBytes(32);
        _aliceKeys = new LinkKeys(key.ToArray(), other.ToArray(), new byte[32], bobIdentity.Public, true);
        _bobKeys = new LinkKeys(other.ToArray(), key.ToArray(), new byte[32], aliceIdentity.Public, false);
        _alice = LinkProtection.For(_aliceKeys);
        _bob = LinkProtection.For(_bobKeys);
        _packet = new byte[Header + _alice.Overhead + PacketSize];
        _raw = new AesGcm(key, 16);
        _aesAlice = new AesGcmPacketProtector(key, other);
        _aesBob = new AesGcmPacketProtector(other, key);
        _aesPacket = new byte[Header + _aesAlice.Overhead + PacketSize];
    }

    [Benchmark(Baseline = true, Description = "BCL: AES-256-GCM encrypt + decrypt, 1200 B")]
    public void RawAesGcm()
    {
        _raw.Encrypt(_nonce, _plaintext, _ciphertext, _tag);
        _raw.Decrypt(_nonce, _ciphertext, _tag, _opened);
    }

    [Benchmark(Description = "AES-256-GCM protector (links before issue 9): protect + open, 1200 B")]
    public int AesGcmPacket()
    {
        _plaintext.CopyTo(_aesPacket, Header + _aesAlice.PlaintextOffset);
        var length = _aesAlice.Protect(_aesPacket, Header, PacketSize);
        return _aesBob.TryUnprotect(_aesPacket.AsSpan(0, length), Header, out _, out var opened) ? opened : -1;
    }

    [Benchmark(Description = "Transport packet under link keys (AEGIS-128L): protect + open (header protection, replay window), 1200 B")]
    public int LinkPacket()
    {
        _plaintext.CopyTo(_packet, Header + _alice.PlaintextOffset);
        var length = _alice.Protect(_packet, Header, PacketSize);
        return _bob.TryUnprotect(_packet.AsSpan(0, length), Header, out _, out var opened) ? opened : -1;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        (_alice as IDisposable)?.Dispose();
        (_bob as IDisposable)?.Dispose();
        _aliceKeys.Dispose();
        _bobKeys.Dispose();
        _raw.Dispose();
        _aesAlice.Dispose();
        _aesBob.Dispose();
    }
}

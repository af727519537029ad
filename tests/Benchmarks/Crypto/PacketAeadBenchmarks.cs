// AEAD throughput on the transport path (1200-byte packets), next to raw BCL AES-256-GCM on the same size.
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using P2PChat.Core.Crypto;

namespace P2PChat.Benchmarks.Crypto;

[MemoryDiagnoser]
public class PacketAeadBenchmarks
{
    public const int PacketSize = 1200;
    private readonly byte[] _plaintext = new byte[PacketSize];
    private readonly byte[] _packet = new byte[PacketSize + LinkPacketProtector.Overhead];
    private readonly byte[] _opened = new byte[PacketSize];
    private readonly byte[] _ciphertext = new byte[PacketSize];
    private readonly byte[] _tag = new byte[16];
    private readonly byte[] _nonce = new byte[12];
    private LinkKeys _aliceKeys = null!;
    private LinkKeys _bobKeys = null!;
    private LinkPacketProtector _alice = null!;
    private LinkPacketProtector _bob = null!;
    private AesGcm _raw = null!;

    [GlobalSetup]
    public void Setup()
    {
        using var aliceIdentity = IdentityKeyPair.Generate();
        using var bobIdentity = IdentityKeyPair.Generate();
        var key = RandomNumberGenerator.GetBytes(32);
        var other = RandomNumberGenerator.GetBytes(32);
        _aliceKeys = new LinkKeys(key.ToArray(), other.ToArray(), new byte[32], bobIdentity.Public, true);
        _bobKeys = new LinkKeys(other.ToArray(), key.ToArray(), new byte[32], aliceIdentity.Public, false);
        _alice = new LinkPacketProtector(_aliceKeys);
        _bob = new LinkPacketProtector(_bobKeys);
        _raw = new AesGcm(key, 16);
    }

    [Benchmark(Baseline = true, Description = "BCL: AES-256-GCM encrypt + decrypt, 1200 B")]
    public void RawAesGcm()
    {
        _raw.Encrypt(_nonce, _plaintext, _ciphertext, _tag);
        _raw.Decrypt(_nonce, _ciphertext, _tag, _opened);
    }

    [Benchmark(Description = "Link packet seal + open (replay window), 1200 B")]
    public int LinkPacket()
    {
        var length = _alice.SealInto(_plaintext, _packet);
        return _bob.OpenInto(_packet.AsSpan(0, length), _opened);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _alice.Dispose();
        _bob.Dispose();
        _aliceKeys.Dispose();
        _bobKeys.Dispose();
        _raw.Dispose();
    }
}

// Messages through the Double Ratchet: the X25519 product against the retired P-256 DH step, in the same run.
using BenchmarkDotNet.Attributes;
using P2PChat.Benchmarks.Crypto.P256Baseline;
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Crypto.Prekeys;
using P2PChat.Core.Crypto.Ratchet;
using P2PChat.Core.Crypto.Vault;

namespace P2PChat.Benchmarks.Crypto;

[MemoryDiagnoser]
public class RatchetBenchmarks
{
    private static readonly byte[] Plaintext = new byte[140];
    private IdentityKeyPair _aliceIdentity = null!;
    private IdentityKeyPair _bobIdentity = null!;
    private PrekeyPair _signedPrekey = null!;
    private PairwiseSession _alice = null!;
    private PairwiseSession _bob = null!;
    private P256Constructions _p256 = null!;
    private P256Key _p256Receiver = null!;
    private P256Key _p256Sender = null!;
    private readonly byte[] _root = new byte[32];

    [GlobalSetup]
    public void Setup()
    {
        _aliceIdentity = IdentityKeyPair.Generate();
        _bobIdentity = IdentityKeyPair.Generate();
        _signedPrekey = PrekeyPair.CreateSigned(_bobIdentity, 1);
        _alice = PairwiseSession.Initiate(_aliceIdentity, new PrekeyBundle(_bobIdentity.Public, _signedPrekey.ToSignedPublic(), null));
        _bob = PairwiseSession.Accept(_bobIdentity, MessageEnvelope.Decode(_alice.Encrypt(Plaintext)), _signedPrekey, null, out _);
        _alice.Decrypt(_bob.Encrypt(Plaintext));
        _p256 = new P256Constructions();
        _p256Receiver = P256Key.Generate();
        _p256Sender = P256Key.Generate();
    }

    [Benchmark(Baseline = true, Description = "P-256 (retired): ping-pong, DH ratchet step each way (2 messages)")]
    public byte[] P256PingPong()
    {
        _p256.RatchetStep(_p256Receiver, _p256Sender, _root, Plaintext);
        return _p256.RatchetStep(_p256Sender, _p256Receiver, _root, Plaintext);
    }

    [Benchmark(Description = "25519: ping-pong, DH ratchet step each way (2 messages)")]
    public byte[] PingPong()
    {
        _bob.Decrypt(_alice.Encrypt(Plaintext));
        return _alice.Decrypt(_bob.Encrypt(Plaintext));
    }

    [Benchmark(Description = "25519: encrypt + decrypt, same chain (140 B; no curve work, same construction as P-256)")]
    public byte[] SameChain() => _bob.Decrypt(_alice.Encrypt(Plaintext));

    [GlobalCleanup]
    public void Cleanup()
    {
        _alice.Dispose();
        _bob.Dispose();
        _signedPrekey.Dispose();
        _aliceIdentity.Dispose();
        _bobIdentity.Dispose();
        _p256.Dispose();
        _p256Receiver.Dispose();
        _p256Sender.Dispose();
    }
}

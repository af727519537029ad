// Link handshakes and X3DH session starts: the X25519/Ed25519 product against the retired P-256 constructions, in the same run.
using BenchmarkDotNet.Attributes;
using P2PChat.Benchmarks.Crypto.P256Baseline;
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Crypto.Handshake;
using P2PChat.Core.Crypto.Prekeys;
using P2PChat.Core.Crypto.Ratchet;

namespace P2PChat.Benchmarks.Crypto;

[MemoryDiagnoser]
public class HandshakeBenchmarks
{
    private static readonly byte[] Prologue = "p2pchat link v1"u8.ToArray();
    private IdentityKeyPair _alice = null!;
    private IdentityKeyPair _bob = null!;
    private PrekeyBundle _bundle = null!;
    private PrekeyPair _signedPrekey = null!;
    private PrekeyPair _oneTime = null!;
    private P256Constructions _p256 = null!;

    [GlobalSetup]
    public void Setup()
    {
        _alice = IdentityKeyPair.Generate();
        _bob = IdentityKeyPair.Generate();
        _signedPrekey = PrekeyPair.CreateSigned(_bob, 1);
        _oneTime = PrekeyPair.CreateOneTime(100);
        _bundle = new PrekeyBundle(_bob.Public, _signedPrekey.ToSignedPublic(), _oneTime.ToOneTimePublic());
        _p256 = new P256Constructions();
    }

    [Benchmark(Baseline = true, Description = "P-256 (retired): link handshake XX, both sides")]
    public byte[] P256LinkHandshake() => _p256.LinkHandshake();

    [Benchmark(Description = "25519: link handshake Noise_XX_25519_ChaChaPoly_SHA256, both sides")]
    public byte[] LinkHandshake()
    {
        using var initiator = new LinkHandshakeInitiator(_alice, _bob.Public, Prologue);
        using var responder = new LinkHandshakeResponder(_bob, _alice.Public, Prologue);
        responder.ReadMessage1(initiator.WriteMessage1());
        initiator.ReadMessage2(responder.WriteMessage2());
        responder.ReadMessage3(initiator.WriteMessage3());
        return initiator.Keys.HandshakeHash.ToArray();
    }

    [Benchmark(Description = "P-256 (retired): X3DH session start + first message, both sides")]
    public byte[] P256SessionStart() => _p256.X3dhStart();

    [Benchmark(Description = "25519: X3DH session start + first message, both sides")]
    public byte[] SessionStart()
    {
        using var alice = PairwiseSession.Initiate(_alice, _bundle);
        using var bob = PairwiseSession.Accept(_bob, MessageEnvelope.Decode(alice.Encrypt("hi"u8)), _signedPrekey, _oneTime, out var plaintext);
        return plaintext;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _alice.Dispose();
        _bob.Dispose();
        _signedPrekey.Dispose();
        _oneTime.Dispose();
        _p256.Dispose();
    }
}

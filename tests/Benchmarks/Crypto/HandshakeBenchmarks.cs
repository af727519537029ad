// Link handshakes and X3DH session starts per second, next to one raw P-256 ECDH derivation measured in the same run.
using BenchmarkDotNet.Attributes;
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Crypto.Link;
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
    private readonly RawEcdhBaseline _baseline = new();

    [GlobalSetup]
    public void Setup()
    {
        _alice = IdentityKeyPair.Generate();
        _bob = IdentityKeyPair.Generate();
        _signedPrekey = PrekeyPair.CreateSigned(_bob, 1);
        _bundle = new PrekeyBundle(_bob.Public, _signedPrekey.ToSignedPublic(), null);
    }

    [Benchmark(Baseline = true, Description = "BCL: one P-256 ECDH derivation")]
    public byte[] RawEcdh() => _baseline.Derive();

    [Benchmark(Description = "Link handshake XX, both sides")]
    public byte[] LinkHandshake()
    {
        using var initiator = new LinkHandshakeInitiator(_alice, _bob.Public, Prologue);
        using var responder = new LinkHandshakeResponder(_bob, _alice.Public, Prologue);
        responder.ReadMessage1(initiator.WriteMessage1());
        initiator.ReadMessage2(responder.WriteMessage2());
        responder.ReadMessage3(initiator.WriteMessage3());
        return initiator.Keys.HandshakeHash.ToArray();
    }

    [Benchmark(Description = "X3DH session start + first message, both sides")]
    public byte[] SessionStart()
    {
        using var alice = PairwiseSession.Initiate(_alice, _bundle);
        using var bob = PairwiseSession.Accept(_bob, MessageEnvelope.Decode(alice.Encrypt("hi"u8)), _signedPrekey, null, out var plaintext);
        return plaintext;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _alice.Dispose();
        _bob.Dispose();
        _signedPrekey.Dispose();
        _baseline.Dispose();
    }
}

// Messages through the Double Ratchet per second, next to one raw P-256 ECDH derivation measured in the same run.
using BenchmarkDotNet.Attributes;
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
    private readonly RawEcdhBaseline _baseline = new();
    private ProfileKeyVault _vault = null!;

    [GlobalSetup]
    public void Setup()
    {
        _aliceIdentity = IdentityKeyPair.Generate();
        _bobIdentity = IdentityKeyPair.Generate();
        _signedPrekey = PrekeyPair.CreateSigned(_bobIdentity, 1);
        _alice = PairwiseSession.Initiate(_aliceIdentity, new PrekeyBundle(_bobIdentity.Public, _signedPrekey.ToSignedPublic(), null));
        _bob = PairwiseSession.Accept(_bobIdentity, MessageEnvelope.Decode(_alice.Encrypt(Plaintext)), _signedPrekey, null, out _);
        _alice.Decrypt(_bob.Encrypt(Plaintext));
        _vault = ProfileKeyVault.Create("benchmark password");
    }

    [Benchmark(Baseline = true, Description = "BCL: one P-256 ECDH derivation")]
    public byte[] RawEcdh() => _baseline.Derive();

    [Benchmark(Description = "Ratchet: encrypt + decrypt, same chain (140 B)")]
    public byte[] SameChain() => _bob.Decrypt(_alice.Encrypt(Plaintext));

    /// <summary>What the peer does per message: each side's session state is serialised and sealed by the vault after each step (the file write is not measured).</summary>
    [Benchmark(Description = "Ratchet: encrypt + decrypt, each state sealed after (140 B)")]
    public byte[] SameChainSealed()
    {
        var envelope = _alice.Encrypt(Plaintext);
        _vault.Seal(_alice.Serialize());
        var plaintext = _bob.Decrypt(envelope);
        _vault.Seal(_bob.Serialize());
        return plaintext;
    }

    [Benchmark(Description = "Ratchet: ping-pong, DH step each way (2 messages)")]
    public byte[] PingPong()
    {
        _bob.Decrypt(_alice.Encrypt(Plaintext));
        return _alice.Decrypt(_bob.Encrypt(Plaintext));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _alice.Dispose();
        _bob.Dispose();
        _signedPrekey.Dispose();
        _aliceIdentity.Dispose();
        _bobIdentity.Dispose();
        _baseline.Dispose();
        _vault.Dispose();
    }
}

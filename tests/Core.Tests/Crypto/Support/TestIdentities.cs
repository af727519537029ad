// Fixed identities and prekeys for tests, imported from hex scalars so known answers stay stable.
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Crypto.Prekeys;
using P2PChat.Core.Crypto.Primitives;
using P2PChat.Core.Crypto.Ratchet;

namespace P2PChat.Core.Tests.Crypto.Support;

internal static class TestIdentities
{
    // Fixed private keys (Ed25519 seeds and X25519 private keys: any 32 bytes work); known-answer vectors depend on them.
    public const string AliceSigning = "1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020101";
    public const string AliceAgreement = "2f2e2d2c2b2a292827262524232221201f1e1d1c1b1a19181716151413121102";
    public const string BobSigning = "3f3e3d3c3b3a393837363534333231302f2e2d2c2b2a29282726252423222103";
    public const string BobAgreement = "4f4e4d4c4b4a494847464544434241403f3e3d3c3b3a39383736353433323104";
    public const string MalloryAgreement = "5f5e5d5c5b5a595857565554535251504f4e4d4c4b4a49484746454443424105";

    public static IdentityKeyPair Alice() => FromHex(AliceSigning, AliceAgreement);
    public static IdentityKeyPair Bob() => FromHex(BobSigning, BobAgreement);

    public static IdentityKeyPair FromHex(string signing, string agreement) =>
        IdentityKeyPair.ImportPrivate([CryptoSuite.Current, .. Convert.FromHexString(signing), .. Convert.FromHexString(agreement)]);

    /// <summary>A responder's published material: identity, signed prekey 1, one-time prekey 100 (or none).</summary>
    public sealed class Responder : IDisposable
    {
        public Responder(IdentityKeyPair identity, IKeySource keys, bool withOneTime = true)
        {
            Identity = identity;
            SignedPrekey = PrekeyPair.CreateSigned(identity, 1, keys);
            OneTimePrekey = withOneTime ? PrekeyPair.CreateOneTime(100, keys) : null;
        }

        public IdentityKeyPair Identity { get; }
        public PrekeyPair SignedPrekey { get; }
        public PrekeyPair? OneTimePrekey { get; }

        public PrekeyBundle Bundle => new(Identity.Public, SignedPrekey.ToSignedPublic(), OneTimePrekey?.ToOneTimePublic());

        public PairwiseSession Accept(byte[] envelope, out byte[] plaintext, IKeySource? keys = null) =>
            PairwiseSession.Accept(Identity, MessageEnvelope.Decode(envelope), SignedPrekey, OneTimePrekey, out plaintext, keys);

        public void Dispose()
        {
            Identity.Dispose();
            SignedPrekey.Dispose();
            OneTimePrekey?.Dispose();
        }
    }
}

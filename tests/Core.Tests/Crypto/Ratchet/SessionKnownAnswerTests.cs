// Known answers for X3DH and the first envelopes of a session built from fixed keys and a seeded key source.
using System.Security.Cryptography;
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Prekeys;
using P2PChat.Core.Crypto.Primitives;
using P2PChat.Core.Crypto.Ratchet;
using P2PChat.Core.Tests.Crypto.Support;
using Xunit;

namespace P2PChat.Core.Tests.Crypto.Ratchet;

public sealed class SessionKnownAnswerTests
{
    [Fact]
    public void X3dh_secret_is_the_same_on_both_sides_and_fixed()
    {
        var keys = new SeededKeySource("x3dh-kat");
        using var alice = TestIdentities.Alice();
        using var bob = new TestIdentities.Responder(TestIdentities.Bob(), keys);
        using var ephemeral = P256KeyPair.Generate(keys);
        var initiator = X3dh.InitiatorSecret(alice, ephemeral, bob.Bundle);
        var responder = X3dh.ResponderSecret(bob.Identity, alice.Public, ephemeral.PublicKey.Span, bob.SignedPrekey, bob.OneTimePrekey);
        Assert.Equal(initiator, responder);
        Assert.Equal("231b59a217ef3d4bad18e5b49dd83bce05b13818ee4a3616802a982a33c848bb", Convert.ToHexStringLower(initiator));
    }

    [Fact]
    public void X3dh_without_one_time_prekey_is_fixed_too()
    {
        var keys = new SeededKeySource("x3dh-kat");
        using var alice = TestIdentities.Alice();
        using var bob = new TestIdentities.Responder(TestIdentities.Bob(), keys, withOneTime: false);
        using var ephemeral = P256KeyPair.Generate(keys);
        var initiator = X3dh.InitiatorSecret(alice, ephemeral, bob.Bundle);
        Assert.Equal(initiator, X3dh.ResponderSecret(bob.Identity, alice.Public, ephemeral.PublicKey.Span, bob.SignedPrekey, null));
        Assert.Equal("f2ce021b22433ff388e5d29308723514204ad92fbaee4d7cad8d3a835ecfa424", Convert.ToHexStringLower(initiator));
    }

    [Fact]
    public void First_envelopes_of_a_seeded_session_are_fixed()
    {
        using var c = new Conversation("session-kat");
        var keys = new SeededKeySource("session-kat-2");
        using var restoredAlice = PairwiseSession.Deserialize(c.Alice.Serialize(), keys);
        var prekeyEnvelope = restoredAlice.Encrypt("second"u8);
        var reply = c.Bob.Encrypt("reply"u8);

        Assert.Equal(2 + 131 + 65 + 4 + 1 + 4 + 73 + 6 + 16, prekeyEnvelope.Length);
        Assert.Equal(2 + 73 + 5 + 16, reply.Length);
        Assert.Equal("ace7aa6f4b3fa09e2219a6e43a48b346c4bccd5cf3d7e512b5b260493a865ea3", Convert.ToHexStringLower(SHA256.HashData(prekeyEnvelope)));
        Assert.Equal("0cd4e1f6c918b16b9cf000477874cd319ccf57c9568cddbee6bfd3b6f61c9ede", Convert.ToHexStringLower(SHA256.HashData(reply)));
        Assert.Equal("second"u8.ToArray(), c.Bob.Decrypt(prekeyEnvelope));
    }
}

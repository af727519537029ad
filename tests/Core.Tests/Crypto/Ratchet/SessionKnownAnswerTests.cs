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
        using var ephemeral = AgreementKeyPair.Generate(keys);
        var initiator = X3dh.InitiatorSecret(alice, ephemeral, bob.Bundle);
        var responder = X3dh.ResponderSecret(bob.Identity, alice.Public, ephemeral.PublicKey.Span, bob.SignedPrekey, bob.OneTimePrekey);
        Assert.Equal(initiator, responder);
        Assert.Equal("f2477336aa82b63f07ba88889f06b1c539937c4cde0ad755fa114e1d7371beca", Convert.ToHexStringLower(initiator));
    }

    [Fact]
    public void X3dh_without_one_time_prekey_is_fixed_too()
    {
        var keys = new SeededKeySource("x3dh-kat");
        using var alice = TestIdentities.Alice();
        using var bob = new TestIdentities.Responder(TestIdentities.Bob(), keys, withOneTime: false);
        using var ephemeral = AgreementKeyPair.Generate(keys);
        var initiator = X3dh.InitiatorSecret(alice, ephemeral, bob.Bundle);
        Assert.Equal(initiator, X3dh.ResponderSecret(bob.Identity, alice.Public, ephemeral.PublicKey.Span, bob.SignedPrekey, null));
        Assert.Equal("49cc13821714b29606a9b0ac20280a4a12441edf2aec3e2ff43f50fe4cfaa960", Convert.ToHexStringLower(initiator));
    }

    [Fact]
    public void First_envelopes_of_a_seeded_session_are_fixed()
    {
        using var c = new Conversation("session-kat");
        var keys = new SeededKeySource("session-kat-2");
        using var restoredAlice = PairwiseSession.Deserialize(c.Alice.Serialize(), keys);
        var prekeyEnvelope = restoredAlice.Encrypt("second"u8);
        var reply = c.Bob.Encrypt("reply"u8);

        Assert.Equal(2 + 65 + 32 + 4 + 1 + 4 + 40 + 6 + 16, prekeyEnvelope.Length);
        Assert.Equal(2 + 40 + 5 + 16, reply.Length);
        // A restored sender resumes at its lease bound (DoubleRatchet, "Sending lease"), so this envelope is number 64.
        Assert.Equal(PairwiseSession.SendLeaseLength, MessageEnvelope.Decode(prekeyEnvelope).Header.MessageNumber);
        Assert.Equal("7bfb5d3786c6d16d7f46244152a443fcba804dbf84ca6a38de9732104280150d", Convert.ToHexStringLower(SHA256.HashData(prekeyEnvelope)));
        Assert.Equal("30f9ccee6705de2fc74a47357ec762235bc77cc7d0fb0eebe0fb0a2ce66704fd", Convert.ToHexStringLower(SHA256.HashData(reply)));
        Assert.Equal("second"u8.ToArray(), c.Bob.Decrypt(prekeyEnvelope));
    }
}

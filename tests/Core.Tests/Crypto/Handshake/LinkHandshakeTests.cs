// The link handshake: agreement, identity binding, KCI resistance, tampering, state machine order, known answers.
using System.Security.Cryptography;
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Crypto.Handshake;
using P2PChat.Core.Crypto.Primitives;
using P2PChat.Core.Tests.Crypto.Support;
using Xunit;

namespace P2PChat.Core.Tests.Crypto.Handshake;

public sealed class LinkHandshakeTests
{
    [Fact]
    public void Both_sides_agree_on_crossed_keys_hash_and_identities()
    {
        using var link = new LinkPair().Run();
        var alice = link.Initiator.Keys;
        var bob = link.Responder.Keys;
        Assert.Equal(alice.SendKey.ToArray(), bob.ReceiveKey.ToArray());
        Assert.Equal(alice.ReceiveKey.ToArray(), bob.SendKey.ToArray());
        Assert.NotEqual(alice.SendKey.ToArray(), alice.ReceiveKey.ToArray());
        Assert.Equal(alice.HandshakeHash.ToArray(), bob.HandshakeHash.ToArray());
        Assert.Equal(link.BobIdentity.Public, alice.RemoteIdentity);
        Assert.Equal(link.AliceIdentity.Public, bob.RemoteIdentity);
        Assert.Equal(LinkHandshakeState.Complete, link.Initiator.State);
        Assert.Equal(LinkHandshakeState.Complete, link.Responder.State);
    }

    [Fact]
    public void Message_sizes_follow_the_documented_layout()
    {
        using var link = new LinkPair().Run();
        Assert.Equal(32, link.Message1.Length);
        Assert.Equal(32 + 32 + 16 + 32 + "bob's payload".Length + 16, link.Message2.Length);
        Assert.Equal(32 + 16 + 32 + "alice's payload".Length + 16, link.Message3.Length);
    }

    [Fact]
    public void Seeded_handshake_gives_fixed_messages_and_keys()
    {
        using var link = new LinkPair("link-kat").Run();
        Assert.Equal("52f28352043a484fb9f91638494ba7467f8661c843094d18fee947fff08a9ff1", Convert.ToHexStringLower(SHA256.HashData(link.Message1)));
        Assert.Equal("1431614cf3bb31e89fdcd36266c69993c85f0df2ef0616cd15385f3116346ed7", Convert.ToHexStringLower(SHA256.HashData(link.Message2)));
        Assert.Equal("ec02cee53f1bd6ff552bd45c367492be913f9dc04c77be7f5493dd6c7b5aece3", Convert.ToHexStringLower(SHA256.HashData(link.Message3)));
        Assert.Equal("45d62dd627e973e043451a61e578bfeded7c93250c73f01ebf68372e7d6cebe6", Convert.ToHexStringLower(link.Initiator.Keys.SendKey));
        Assert.Equal("c14fabf791a5c2727d308309060479abb87d46042c5848f39c3cc3a6a3025b8b", Convert.ToHexStringLower(link.Initiator.Keys.ReceiveKey));
        Assert.Equal("ae9db558d8d3c89830c469ebefe6e4a7d43f97522d3010e8819d9540478fec69", Convert.ToHexStringLower(link.Initiator.Keys.HandshakeHash));
    }

    [Fact]
    public void Each_run_gives_fresh_keys()
    {
        using var first = new LinkPair("run-1").Run();
        using var second = new LinkPair("run-2").Run();
        Assert.NotEqual(first.Initiator.Keys.SendKey.ToArray(), second.Initiator.Keys.SendKey.ToArray());
    }

    [Fact]
    public void Initiator_detects_a_responder_with_an_unexpected_identity()
    {
        using var mallory = IdentityKeyPair.Generate(new SeededKeySource("mallory"));
        using var link = new LinkPair(initiatorExpects: mallory.Public);
        link.Responder.ReadMessage1(link.Initiator.WriteMessage1());
        var message2 = link.Responder.WriteMessage2();
        Rejection.Expect(() => link.Initiator.ReadMessage2(message2), CryptoFailure.UnexpectedIdentity);
        Assert.Equal(LinkHandshakeState.Failed, link.Initiator.State);
        Rejection.Expect(() => link.Initiator.WriteMessage3(), CryptoFailure.InvalidState);
    }

    [Fact]
    public void Responder_detects_an_initiator_with_an_unexpected_identity()
    {
        using var mallory = IdentityKeyPair.Generate(new SeededKeySource("mallory"));
        using var link = new LinkPair(responderExpects: mallory.Public);
        link.Responder.ReadMessage1(link.Initiator.WriteMessage1());
        link.Initiator.ReadMessage2(link.Responder.WriteMessage2());
        var message3 = link.Initiator.WriteMessage3();
        Rejection.Expect(() => link.Responder.ReadMessage3(message3), CryptoFailure.UnexpectedIdentity);
        Rejection.Expect(() => _ = link.Responder.Keys, CryptoFailure.InvalidState);
    }

    [Fact]
    public void Key_compromise_impersonation_fails_an_attacker_holding_alices_static_key_cannot_pose_as_bob_to_her()
    {
        var keys = new SeededKeySource("kci");
        using var alice = TestIdentities.Alice();
        using var bob = TestIdentities.Bob();
        using var stolenAliceStatic = AgreementKeyPair.FromPrivateKey(Convert.FromHexString(TestIdentities.AliceAgreement));
        using var initiator = new LinkHandshakeInitiator(alice, bob.Public, LinkPair.Prologue, keys);
        using var impostor = new LinkHandshakeResponder(bob.Public, stolenAliceStatic, LinkPair.Prologue, keys);

        impostor.ReadMessage1(initiator.WriteMessage1());
        var forged = impostor.WriteMessage2("trust me, I am bob"u8);
        Rejection.Expect(() => initiator.ReadMessage2(forged), CryptoFailure.AuthenticationFailed);
        Assert.Equal(LinkHandshakeState.Failed, initiator.State);
    }

    [Fact]
    public void Impostor_without_bobs_key_fails_even_when_alice_accepts_anyone()
    {
        var keys = new SeededKeySource("impostor");
        using var alice = TestIdentities.Alice();
        using var bob = TestIdentities.Bob();
        using var malloryStatic = AgreementKeyPair.FromPrivateKey(Convert.FromHexString(TestIdentities.MalloryAgreement));
        using var initiator = new LinkHandshakeInitiator(alice, expectedRemote: null, LinkPair.Prologue, keys);
        using var impostor = new LinkHandshakeResponder(bob.Public, malloryStatic, LinkPair.Prologue, keys);
        impostor.ReadMessage1(initiator.WriteMessage1());
        Rejection.Expect(() => initiator.ReadMessage2(impostor.WriteMessage2()), CryptoFailure.AuthenticationFailed);
    }

    [Fact]
    public void Flipping_any_byte_of_message_two_or_three_is_rejected()
    {
        var reference = new LinkPair("tamper").Run();
        var (message2, message3) = (reference.Message2, reference.Message3);
        reference.Dispose();
        for (var i = 0; i < message2.Length; i++)
        {
            using var link = new LinkPair("tamper");
            link.Responder.ReadMessage1(link.Initiator.WriteMessage1());
            link.Responder.WriteMessage2("bob's payload"u8);
            var forged = (byte[])message2.Clone();
            forged[i] ^= 0x01;
            Rejection.Expect(() => link.Initiator.ReadMessage2(forged));
        }
        for (var i = 0; i < message3.Length; i++)
        {
            using var link = new LinkPair("tamper");
            link.Responder.ReadMessage1(link.Initiator.WriteMessage1());
            link.Initiator.ReadMessage2(link.Responder.WriteMessage2("bob's payload"u8));
            link.Initiator.WriteMessage3("alice's payload"u8);
            var forged = (byte[])message3.Clone();
            forged[i] ^= 0x01;
            Rejection.Expect(() => link.Responder.ReadMessage3(forged));
        }
    }

    [Fact]
    public void A_tampered_first_message_makes_the_handshake_fail_later()
    {
        using var link = new LinkPair();
        var message1 = link.Initiator.WriteMessage1();
        message1[^1] ^= 0x01;
        try { link.Responder.ReadMessage1(message1); }
        catch (CryptoProtocolException) { return; }
        var message2 = link.Responder.WriteMessage2();
        Rejection.Expect(() => link.Initiator.ReadMessage2(message2));
    }

    [Fact]
    public void Different_prologues_do_not_complete()
    {
        var keys = new SeededKeySource("prologue");
        using var alice = TestIdentities.Alice();
        using var bob = TestIdentities.Bob();
        using var initiator = new LinkHandshakeInitiator(alice, bob.Public, "p2pchat link v1|alice|bob"u8, keys);
        using var responder = new LinkHandshakeResponder(bob, null, "p2pchat link v1|alice|eve"u8, keys);
        responder.ReadMessage1(initiator.WriteMessage1());
        Rejection.Expect(() => initiator.ReadMessage2(responder.WriteMessage2()), CryptoFailure.AuthenticationFailed);
    }

    [Fact]
    public void Steps_out_of_order_are_refused()
    {
        using var link = new LinkPair();
        Rejection.Expect(() => link.Initiator.ReadMessage2(new byte[300]), CryptoFailure.InvalidState);
        Rejection.Expect(() => link.Responder.WriteMessage2(), CryptoFailure.InvalidState);
        Rejection.Expect(() => link.Responder.ReadMessage3(new byte[200]), CryptoFailure.InvalidState);
        link.Initiator.WriteMessage1();
        Rejection.Expect(() => link.Initiator.WriteMessage1(), CryptoFailure.InvalidState);
        Rejection.Expect(() => _ = link.Initiator.Keys, CryptoFailure.InvalidState);
    }
}

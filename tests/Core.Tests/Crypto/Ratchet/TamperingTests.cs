// Every byte of every envelope matters: flipping any bit anywhere is rejected and leaves the session unchanged.
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Ratchet;
using P2PChat.Core.Tests.Crypto.Support;
using Xunit;
using static P2PChat.Core.Tests.Crypto.Support.Conversation;

namespace P2PChat.Core.Tests.Crypto.Ratchet;

public sealed class TamperingTests
{
    [Fact]
    public void Flipping_any_byte_of_a_ratchet_envelope_is_rejected()
    {
        using var c = new Conversation();
        var message = c.Bob.Encrypt(Utf8("tamper with me"));
        var before = c.Alice.Serialize();
        for (var i = 0; i < message.Length; i++)
        {
            var forged = (byte[])message.Clone();
            forged[i] ^= 0x01;
            Rejection.Expect(() => c.Alice.Decrypt(forged));
            Assert.Equal(before, c.Alice.Serialize());
        }
        Assert.Equal("tamper with me", Text(c.Alice.Decrypt(message)));
    }

    [Fact]
    public void Flipping_any_byte_of_a_prekey_envelope_is_rejected_by_the_responder()
    {
        var keys = new SeededKeySource("tamper-prekey");
        using var alice = TestIdentities.Alice();
        using var bob = new TestIdentities.Responder(TestIdentities.Bob(), keys);
        using var session = PairwiseSession.Initiate(alice, bob.Bundle, keys);
        var first = session.Encrypt(Utf8("first words"));
        for (var i = 0; i < first.Length; i++)
        {
            var forged = (byte[])first.Clone();
            forged[i] ^= 0x80;
            Rejection.Expect(() =>
            {
                var envelope = MessageEnvelope.Decode(forged);
                if (envelope.Prekey is not { SignedPrekeyId: 1, OneTimePrekeyId: 100 })
                    throw new CryptoProtocolException(CryptoFailure.UnknownKey, "prekey lookup fails");
                using var accepted = PairwiseSession.Accept(bob.Identity, envelope, bob.SignedPrekey, bob.OneTimePrekey, out _);
            });
        }
        using var genuine = bob.Accept(first, out var plaintext);
        Assert.Equal("first words", Text(plaintext));
    }

    [Fact]
    public void Truncated_or_extended_envelopes_are_rejected()
    {
        using var c = new Conversation();
        var message = c.Bob.Encrypt(Utf8("length matters"));
        for (var length = 0; length < message.Length; length++)
            Rejection.Expect(() => c.Alice.Decrypt(message.AsSpan(0, length)));
        Rejection.Expect(() => c.Alice.Decrypt([.. message, 0x00]));
    }

    [Fact]
    public void A_message_for_another_conversation_is_rejected()
    {
        using var first = new Conversation("one");
        using var second = new Conversation("two");
        var message = first.Bob.Encrypt(Utf8("for alice in conversation one"));
        Rejection.Expect(() => second.Alice.Decrypt(message), CryptoFailure.AuthenticationFailed);
    }
}

// Behaviour of end-to-end sessions: order, loss, duplicates, key deletion, recovery after compromise, bounds, persistence.
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Prekeys;
using P2PChat.Core.Crypto.Primitives;
using P2PChat.Core.Crypto.Ratchet;
using P2PChat.Core.Tests.Crypto.Support;
using Xunit;
using static P2PChat.Core.Tests.Crypto.Support.Conversation;

namespace P2PChat.Core.Tests.Crypto.Ratchet;

public sealed class PairwiseSessionTests
{
    [Fact]
    public void First_message_is_read_and_both_sides_see_each_others_identity()
    {
        using var c = new Conversation();
        Assert.Equal("hello", Text(c.FirstPlaintext));
        Assert.Equal(c.Alice.LocalIdentity, c.Bob.RemoteIdentity);
        Assert.Equal(c.Bob.LocalIdentity, c.Alice.RemoteIdentity);
    }

    [Fact]
    public void Alternating_conversation_with_several_messages_per_turn()
    {
        using var c = new Conversation();
        for (var round = 0; round < 5; round++)
        {
            var fromBob = Enumerable.Range(0, round + 1).Select(i => c.Bob.Encrypt(Utf8($"b{round}.{i}"))).ToList();
            Assert.Equal(fromBob.Select((_, i) => $"b{round}.{i}"), fromBob.Select(m => Text(c.Alice.Decrypt(m))));
            var fromAlice = Enumerable.Range(0, 3).Select(i => c.Alice.Encrypt(Utf8($"a{round}.{i}"))).ToList();
            Assert.Equal(fromAlice.Select((_, i) => $"a{round}.{i}"), fromAlice.Select(m => Text(c.Bob.Decrypt(m))));
        }
    }

    [Fact]
    public void Initiator_sends_prekey_envelopes_until_the_first_reply()
    {
        using var c = new Conversation();
        var second = c.Alice.Encrypt(Utf8("again"));
        Assert.Equal(EnvelopeKind.Prekey, MessageEnvelope.Decode(second).Kind);
        Assert.True(c.Bob.Matches(MessageEnvelope.Decode(second)));
        Assert.Equal("again", Text(c.Bob.Decrypt(second)));

        c.Alice.Decrypt(c.Bob.Encrypt(Utf8("reply")));
        Assert.Equal(EnvelopeKind.Ratchet, MessageEnvelope.Decode(c.Alice.Encrypt(Utf8("x"))).Kind);
    }

    [Fact]
    public void Out_of_order_messages_across_ratchet_steps_are_all_read()
    {
        using var c = new Conversation();
        var firstChain = Enumerable.Range(0, 4).Select(i => c.Bob.Encrypt(Utf8($"one{i}"))).ToList();
        Assert.Equal("one3", Text(c.Alice.Decrypt(firstChain[3])));
        c.Bob.Decrypt(c.Alice.Encrypt(Utf8("step")));
        var secondChain = Enumerable.Range(0, 3).Select(i => c.Bob.Encrypt(Utf8($"two{i}"))).ToList();

        Assert.Equal("two2", Text(c.Alice.Decrypt(secondChain[2])));
        Assert.Equal("one1", Text(c.Alice.Decrypt(firstChain[1])));
        Assert.Equal("two0", Text(c.Alice.Decrypt(secondChain[0])));
        Assert.Equal("one0", Text(c.Alice.Decrypt(firstChain[0])));
        Assert.Equal("one2", Text(c.Alice.Decrypt(firstChain[2])));
        Assert.Equal("two1", Text(c.Alice.Decrypt(secondChain[1])));
        Assert.Equal(0, c.Alice.StoredSkippedKeys);
    }

    [Fact]
    public void Lost_messages_do_not_stop_later_ones()
    {
        using var c = new Conversation();
        var messages = Enumerable.Range(0, 10).Select(i => c.Bob.Encrypt(Utf8($"m{i}"))).ToList();
        foreach (var i in new[] { 1, 4, 9 }) Assert.Equal($"m{i}", Text(c.Alice.Decrypt(messages[i])));
        c.Bob.Decrypt(c.Alice.Encrypt(Utf8("ack")));
        Assert.Equal("after", Text(c.Alice.Decrypt(c.Bob.Encrypt(Utf8("after")))));
        Assert.Equal(7, c.Alice.StoredSkippedKeys);
    }

    [Fact]
    public void Duplicated_message_is_rejected_as_replay_and_state_is_unchanged()
    {
        using var c = new Conversation();
        var message = c.Bob.Encrypt(Utf8("once"));
        c.Alice.Decrypt(message);
        var before = c.Alice.Serialize();
        Rejection.Expect(() => c.Alice.Decrypt(message), CryptoFailure.Replayed);
        Assert.Equal(before, c.Alice.Serialize());
    }

    [Fact]
    public void Duplicate_of_a_skipped_then_read_message_is_rejected()
    {
        using var c = new Conversation();
        var early = c.Bob.Encrypt(Utf8("early"));
        c.Alice.Decrypt(c.Bob.Encrypt(Utf8("late")));
        c.Alice.Decrypt(early);
        Rejection.Expect(() => c.Alice.Decrypt(early), CryptoFailure.Replayed);
    }

    [Fact]
    public void Replayed_first_prekey_message_is_rejected_by_the_existing_session()
    {
        var keys = new SeededKeySource("replay-prekey");
        using var alice = TestIdentities.Alice();
        using var bob = new TestIdentities.Responder(TestIdentities.Bob(), keys);
        using var session = PairwiseSession.Initiate(alice, bob.Bundle, keys);
        var first = session.Encrypt(Utf8("first"));
        using var bobSession = bob.Accept(first, out _);
        Assert.True(bobSession.Matches(MessageEnvelope.Decode(first)));
        Rejection.Expect(() => bobSession.Decrypt(first), CryptoFailure.Replayed);
    }

    [Fact]
    public void After_reading_a_message_its_key_is_gone_even_from_the_saved_state()
    {
        using var c = new Conversation();
        var message = c.Bob.Encrypt(Utf8("secret"));
        c.Alice.Decrypt(message);
        using var restored = PairwiseSession.Deserialize(c.Alice.Serialize());
        Rejection.Expect(() => restored.Decrypt(message), CryptoFailure.Replayed);
        Rejection.Expect(() => c.Alice.Decrypt(message), CryptoFailure.Replayed);
    }

    [Fact]
    public void Old_sending_chain_keys_are_gone_after_a_ratchet_step()
    {
        using var c = new Conversation();
        var old = c.Bob.Encrypt(Utf8("old"));
        c.Alice.Decrypt(old);
        c.Bob.Decrypt(c.Alice.Encrypt(Utf8("step")));
        c.Alice.Decrypt(c.Bob.Encrypt(Utf8("new")));
        using var copy = PairwiseSession.Deserialize(c.Alice.Serialize());
        Rejection.Expect(() => copy.Decrypt(old), CryptoFailure.Replayed);
        Rejection.Expect(() => c.Alice.Decrypt(old), CryptoFailure.Replayed);
    }

    [Fact]
    public void Attacker_with_a_copy_of_the_state_is_locked_out_after_a_fresh_exchange()
    {
        using var c = new Conversation();
        c.Alice.Decrypt(c.Bob.Encrypt(Utf8("warm up")));
        using var stolen = PairwiseSession.Deserialize(c.Bob.Serialize());

        // With the copy the attacker reads what is sent to Bob's compromised ratchet key...
        var beforeHealing = c.Alice.Encrypt(Utf8("still exposed"));
        Assert.Equal("still exposed", Text(stolen.Decrypt(beforeHealing)));
        c.Bob.Decrypt(beforeHealing);

        // ...until Bob's next message brings a fresh ratchet key the attacker never saw.
        c.Alice.Decrypt(c.Bob.Encrypt(Utf8("fresh key")));
        var healed = c.Alice.Encrypt(Utf8("private again"));
        Rejection.Expect(() => stolen.Decrypt(healed), CryptoFailure.AuthenticationFailed);
        Assert.Equal("private again", Text(c.Bob.Decrypt(healed)));
    }

    [Fact]
    public void Skipping_more_than_the_bound_in_one_chain_is_refused_without_state_change()
    {
        using var c = new Conversation();
        for (var i = 0; i <= DoubleRatchet.MaxSkip; i++) c.Bob.Encrypt(Utf8("lost"));
        var tooFar = c.Bob.Encrypt(Utf8("too far"));
        var before = c.Alice.Serialize();
        Rejection.Expect(() => c.Alice.Decrypt(tooFar), CryptoFailure.TooManySkippedMessages);
        Assert.Equal(before, c.Alice.Serialize());
        Assert.Equal(0, c.Alice.StoredSkippedKeys);
    }

    [Fact]
    public void Forged_header_with_a_huge_counter_costs_nothing()
    {
        using var c = new Conversation();
        c.Alice.Decrypt(c.Bob.Encrypt(Utf8("warm up the code path")));
        var message = c.Bob.Encrypt(Utf8("x"));
        var counterOffset = 2 + AgreementKeyPair.PublicKeyLength + 4;
        message[counterOffset] = 0xFF;
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        Rejection.Expect(() => c.Alice.Decrypt(message), CryptoFailure.TooManySkippedMessages);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Assert.Equal(0, c.Alice.StoredSkippedKeys);
        Assert.True(allocated < 64 * 1024, $"refusing a 4-billion gap allocated {allocated} bytes");
    }

    [Fact]
    public void Stored_skipped_keys_never_exceed_the_cap()
    {
        using var c = new Conversation();
        for (var chain = 0; chain < 3; chain++)
        {
            for (var i = 0; i < 600; i++) c.Bob.Encrypt(Utf8("lost"));
            c.Alice.Decrypt(c.Bob.Encrypt(Utf8("arrives")));
            c.Bob.Decrypt(c.Alice.Encrypt(Utf8("ack")));
            Assert.True(c.Alice.StoredSkippedKeys <= DoubleRatchet.MaxStoredSkippedKeys);
        }
        Assert.Equal(DoubleRatchet.MaxStoredSkippedKeys, c.Alice.StoredSkippedKeys);
    }

    [Fact]
    public void Saved_and_restored_sessions_keep_talking()
    {
        using var c = new Conversation();
        var pending = c.Bob.Encrypt(Utf8("in flight"));
        c.Bob.Encrypt(Utf8("lost"));
        using var alice = PairwiseSession.Deserialize(c.Alice.Serialize());
        using var bob = PairwiseSession.Deserialize(c.Bob.Serialize());
        Assert.Equal("in flight", Text(alice.Decrypt(pending)));
        Assert.Equal("reply", Text(bob.Decrypt(alice.Encrypt(Utf8("reply")))));
        Assert.Equal("more", Text(alice.Decrypt(bob.Encrypt(Utf8("more")))));
    }

    [Fact]
    public void Responder_cannot_send_before_receiving_and_wrong_prekeys_are_refused()
    {
        var keys = new SeededKeySource("wrong-prekeys");
        using var alice = TestIdentities.Alice();
        using var bob = new TestIdentities.Responder(TestIdentities.Bob(), keys);
        using var session = PairwiseSession.Initiate(alice, bob.Bundle, keys);
        var first = MessageEnvelope.Decode(session.Encrypt(Utf8("hi")));
        using var otherSigned = PrekeyPair.CreateSigned(bob.Identity, 2, keys);
        Rejection.Expect(() => PairwiseSession.Accept(bob.Identity, first, otherSigned, bob.OneTimePrekey, out _), CryptoFailure.UnknownKey);
        Rejection.Expect(() => PairwiseSession.Accept(bob.Identity, first, bob.SignedPrekey, null, out _), CryptoFailure.UnknownKey);
    }
}

// The sending lease: a saved state restored after a crash (any copy written since the last durable save) never reuses a message number, and durable saves are rare.
using P2PChat.Core.Crypto.Ratchet;
using P2PChat.Core.Tests.Crypto.Support;
using Xunit;
using static P2PChat.Core.Tests.Crypto.Support.Conversation;

namespace P2PChat.Core.Tests.Crypto.Ratchet;

public sealed class SendLeaseTests
{
    private static uint Number(byte[] envelope) => MessageEnvelope.Decode(envelope).Header.MessageNumber;

    /// <summary>The sender as PairwiseMessages drives it: extend the lease when asked, then encrypt, then save.</summary>
    private static (byte[] Envelope, byte[] Saved, bool Durable) Send(PairwiseSession session, string text)
    {
        bool durable = session.SendExtendsLease;
        if (durable) session.ExtendSendLease();
        var envelope = session.Encrypt(Utf8(text));
        return (envelope, session.Serialize(), durable);
    }

    [Fact]
    public void Any_copy_a_crash_can_leave_resumes_past_every_message_number_used_and_the_receiver_reads_on()
    {
        using var c = new Conversation();
        c.Alice.Decrypt(c.Bob.Encrypt(Utf8("reply")));   // alice now sends on a chain of her own
        var saved = new List<byte[]>();
        int lastDurable = -1;
        uint highestUsed = 0;
        const int Messages = 150;   // more than two leases
        for (int k = 0; k < Messages; k++)
        {
            var (envelope, state, durable) = Send(c.Alice, $"m{k}");
            if (durable) lastDurable = saved.Count;
            saved.Add(state);
            highestUsed = Math.Max(highestUsed, Number(envelope));
            Assert.Equal($"m{k}", Text(c.Bob.Decrypt(envelope)));
            if (k % 9 != 4) continue;

            // A crash now: the file holds the last durable copy or any written after it (written, not flushed).
            var bobNow = c.Bob.Serialize();
            for (int survivor = Math.Max(0, lastDurable); survivor < saved.Count; survivor++)
            {
                using var restarted = PairwiseSession.Deserialize(saved[survivor]);
                using var bob = PairwiseSession.Deserialize(bobNow);
                var (after, _, mustBeDurable) = Send(restarted, "after the crash");
                Assert.True(mustBeDurable);   // a loaded state has no lease: its first send is saved durably
                Assert.True(Number(after) > highestUsed, $"copy {survivor} resumed at {Number(after)}, but {highestUsed} was used");
                Assert.Equal("after the crash", Text(bob.Decrypt(after)));
            }
        }
    }

    [Fact]
    public void A_back_and_forth_conversation_never_needs_a_durable_save_and_a_one_way_burst_needs_one_per_lease()
    {
        using var c = new Conversation();
        int durable = 0;
        for (int round = 0; round < 100; round++)
        {
            var (fromBob, _, bobDurable) = Send(c.Bob, $"b{round}");
            c.Alice.Decrypt(fromBob);
            var (fromAlice, _, aliceDurable) = Send(c.Alice, $"a{round}");
            c.Bob.Decrypt(fromAlice);
            durable += (bobDurable ? 1 : 0) + (aliceDurable ? 1 : 0);
        }
        Assert.Equal(0, durable);

        var burst = Enumerable.Range(0, 2 * (int)PairwiseSession.SendLeaseLength + 2).Select(i => Send(c.Alice, $"x{i}")).ToList();
        Assert.Equal(2, burst.Count(s => s.Durable));
        Assert.All(burst, s => c.Bob.Decrypt(s.Envelope));
    }

    [Fact]
    public void A_state_saved_within_a_lease_claims_the_lease_bound_so_a_clean_reload_skips_at_most_one_lease()
    {
        using var c = new Conversation();
        c.Alice.Decrypt(c.Bob.Encrypt(Utf8("reply")));
        var (first, saved, _) = Send(c.Alice, "one");
        Assert.Equal(0u, Number(first));
        c.Bob.Decrypt(first);

        using var reloaded = PairwiseSession.Deserialize(saved);
        var (next, _, durable) = Send(reloaded, "two");
        Assert.True(durable);
        Assert.Equal(PairwiseSession.SendLeaseLength, Number(next));
        Assert.Equal("two", Text(c.Bob.Decrypt(next)));
    }

    [Fact]
    public void Restarts_without_a_send_do_not_add_up_and_a_clean_close_skips_nothing()
    {
        using var c = new Conversation();
        c.Alice.Decrypt(c.Bob.Encrypt(Utf8("reply")));
        var (first, saved, _) = Send(c.Alice, "one");
        c.Bob.Decrypt(first);

        for (int restart = 0; restart < 10; restart++)   // load, save, load ... without sending
        {
            using var loaded = PairwiseSession.Deserialize(saved);
            Assert.False(loaded.HoldsSendLease);
            saved = loaded.Serialize();
        }
        using (var restarted = PairwiseSession.Deserialize(saved))
            Assert.Equal(PairwiseSession.SendLeaseLength, Number(Send(restarted, "after ten restarts").Envelope));

        var (second, _, _) = Send(c.Alice, "two");   // the live session, then closed cleanly
        c.Bob.Decrypt(second);
        using var reopened = PairwiseSession.Deserialize(c.Alice.Serialize(atLiveCounter: true));
        var (third, _, durable) = Send(reopened, "three");
        Assert.True(durable);
        Assert.Equal(2u, Number(third));
        Assert.Equal("three", Text(c.Bob.Decrypt(third)));
    }

    [Fact]
    public void Many_crash_and_send_cycles_in_one_chain_stay_within_the_receivers_skipped_key_limit_and_are_all_read()
    {
        using var c = new Conversation();
        c.Alice.Decrypt(c.Bob.Encrypt(Utf8("reply")));
        var state = c.Alice.Serialize();
        for (int cycle = 0; cycle < 40; cycle++)   // each: load the leased copy, send once (durably), crash
        {
            using var alice = PairwiseSession.Deserialize(state);
            var (envelope, saved, durable) = Send(alice, $"cycle {cycle}");
            Assert.True(durable);
            Assert.Equal((uint)(cycle + 1) * PairwiseSession.SendLeaseLength, Number(envelope));
            Assert.Equal($"cycle {cycle}", Text(c.Bob.Decrypt(envelope)));
            Assert.InRange(c.Bob.StoredSkippedKeys, 0, 1000);
            state = saved;
        }
        // The skipped keys are of numbers never sent; a reply starts a new chain and reading goes on.
        using var last = PairwiseSession.Deserialize(state);
        last.Decrypt(c.Bob.Encrypt(Utf8("a new chain")));
        var (fresh, _, freshDurable) = Send(last, "fresh");
        Assert.False(freshDurable);
        Assert.Equal(0u, Number(fresh));
        Assert.Equal("fresh", Text(c.Bob.Decrypt(fresh)));
    }

    [Fact]
    public void Within_a_lease_a_send_leaves_the_saved_state_byte_for_byte_as_it_was()
    {
        using var c = new Conversation();
        c.Alice.Decrypt(c.Bob.Encrypt(Utf8("reply")));
        var before = c.Alice.Serialize();
        for (int i = 0; i < (int)PairwiseSession.SendLeaseLength; i++)
        {
            var (envelope, after, durable) = Send(c.Alice, $"m{i}");
            Assert.False(durable);
            Assert.Equal(before, after);   // so the sender need not write it (PairwiseMessages.EncryptLocked)
            c.Bob.Decrypt(envelope);
        }
        Assert.True(Send(c.Alice, "past the bound").Durable);
    }
}

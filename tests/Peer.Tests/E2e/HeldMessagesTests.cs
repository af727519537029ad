// The held-messages record: order per contact and across contacts, taking releases, and refusal of damaged records.
using P2PChat.Core.Crypto;
using P2PChat.Peer.E2e;
using Xunit;

namespace P2PChat.Peer.Tests.E2e;

public sealed class HeldMessagesTests
{
    private static HeldMessages Sample()
    {
        var held = new HeldMessages();
        held.Add("bob", [1, 1]);
        held.Add("carol", [2]);
        held.Add("bob", new byte[16 * 1024]);
        return held;
    }

    [Fact]
    public void A_record_reads_back_with_every_payload_in_order()
    {
        var back = HeldMessages.Deserialize(Sample().Serialize());

        Assert.Equal([("bob", 2), ("carol", 1)], back.Counts);
        Assert.Equal([[1, 1], new byte[16 * 1024]], back.Take("bob"));
        Assert.Equal([[2]], back.Take("carol"));
        Assert.True(back.IsEmpty);
    }

    [Fact]
    public void Taking_releases_one_contact_only_and_twice_gives_nothing()
    {
        var held = Sample();
        Assert.Equal(2, held.Take("bob").Count);
        Assert.Empty(held.Take("bob"));
        Assert.Equal([("carol", 1)], held.Counts);
        Assert.Equal([("carol", 1)], HeldMessages.Deserialize(held.Serialize()).Counts);
    }

    [Fact]
    public void An_empty_record_is_one_version_byte_and_a_zero_count()
    {
        Assert.Equal(new byte[] { 1, 0, 0 }, new HeldMessages().Serialize());
        Assert.True(HeldMessages.Deserialize([1, 0, 0]).IsEmpty);
    }

    [Fact]
    public void Cut_padded_unknown_or_repeating_records_are_malformed()
    {
        var record = Sample().Serialize();
        for (var length = 0; length < record.Length; length++)
            Assert.Equal(CryptoFailure.Malformed, Assert.Throws<CryptoProtocolException>(() => HeldMessages.Deserialize(record.AsSpan(0, length))).Reason);
        Assert.Throws<CryptoProtocolException>(() => HeldMessages.Deserialize([.. record, 0]));
        Assert.Throws<CryptoProtocolException>(() => HeldMessages.Deserialize([2, .. record.AsSpan(1)]));
        // Two entries for "bob" (u16 n = 2, each: "bob", one payload [9]).
        byte[] entry = [0, 3, (byte)'b', (byte)'o', (byte)'b', 0, 1, 0, 1, 9];
        Assert.Throws<CryptoProtocolException>(() => HeldMessages.Deserialize([1, 0, 2, .. entry, .. entry]));
        Assert.Throws<CryptoProtocolException>(() => HeldMessages.Deserialize([1, 0, 1, 0, 3, (byte)'b', (byte)'o', (byte)'b', 0, 0]));
    }
}

// Sender keys of an invite-only channel: rekeyed when a member leaves, newcomers cannot read the past, older copies ignored, storage.
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Groups;
using P2PChat.Core.Payloads;
using P2PChat.Peer.E2e;
using Xunit;

namespace P2PChat.Peer.Tests.E2e;

public sealed class GroupKeysTests
{
    private const uint Channel = 7;

    private static byte[] Send(GroupKeys sender, string text) => sender.EnsureOwn().Encrypt(sender.GroupId, PmPayload.EncodeText(text));

    private static string Read(GroupKeys receiver, string from, byte[] message) =>
        PmPayload.DecodeText(receiver.ReceiverOf(from)!.Decrypt(receiver.GroupId, message))!;

    private static void Give(GroupKeys sender, string senderName, GroupKeys receiver) =>
        receiver.SetReceiver(senderName, SenderKeyDistribution.Decode(sender.EnsureOwn().CreateDistribution().Encode()));

    [Fact]
    public void After_a_member_leaves_the_next_message_uses_a_new_key_the_departed_cannot_read()
    {
        using GroupKeys alice = new(Channel), bob = new(Channel), carol = new(Channel);
        Give(alice, "alice", bob);
        Give(alice, "alice", carol);
        var before = Send(alice, "before");
        Assert.Equal("before", Read(bob, "alice", before));
        Assert.Equal("before", Read(carol, "alice", before));

        var oldKeyId = alice.Own!.KeyId;
        alice.MemberLeft("carol");
        Assert.Null(alice.Own);
        Assert.Empty(alice.GivenTo);
        Give(alice, "alice", bob); // the new key goes to the remaining members only
        var after = Send(alice, "after");
        Assert.NotEqual(oldKeyId, alice.Own!.KeyId);
        Assert.Equal("after", Read(bob, "alice", after));
        Assert.ThrowsAny<CryptoProtocolException>(() => Read(carol, "alice", after));
    }

    [Fact]
    public void A_newcomer_reads_from_the_moment_it_gets_the_key_not_before()
    {
        using GroupKeys alice = new(Channel), dave = new(Channel);
        var past = new[] { Send(alice, "one"), Send(alice, "two") };
        Give(alice, "alice", dave);
        var now = Send(alice, "three");
        Assert.All(past, m => Assert.ThrowsAny<CryptoProtocolException>(() => Read(dave, "alice", m)));
        Assert.Equal("three", Read(dave, "alice", now));
        Assert.ThrowsAny<CryptoProtocolException>(() => Read(dave, "alice", now)); // replay
    }

    [Fact]
    public void An_older_copy_of_a_key_in_use_is_ignored_so_read_messages_stay_closed()
    {
        using GroupKeys alice = new(Channel), bob = new(Channel);
        var stale = SenderKeyDistribution.Decode(alice.EnsureOwn().CreateDistribution().Encode());
        bob.SetReceiver("alice", stale);
        var m = Send(alice, "once");
        Assert.Equal("once", Read(bob, "alice", m));
        bob.SetReceiver("alice", stale);
        Assert.ThrowsAny<CryptoProtocolException>(() => Read(bob, "alice", m));
    }

    [Fact]
    public void State_survives_storage_and_damaged_state_is_refused()
    {
        using GroupKeys alice = new(Channel), bob = new(Channel);
        Give(alice, "alice", bob);
        alice.GivenTo.Add("bob");
        using var restored = GroupKeys.Deserialize(alice.Serialize());
        Assert.Equal(alice.Serialize(), restored.Serialize());
        Assert.Contains("bob", restored.GivenTo);
        Assert.Equal("hi", Read(bob, "alice", Send(restored, "hi")));
        using var bobRestored = GroupKeys.Deserialize(bob.Serialize());
        Assert.Equal(bob.Serialize(), bobRestored.Serialize());
        Assert.ThrowsAny<CryptoProtocolException>(() => GroupKeys.Deserialize(alice.Serialize()[..^1]));
    }
}

// Group sender keys: members read each other, order and loss, replays, forgery between members, rekey and newcomers.
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Groups;
using P2PChat.Core.Tests.Crypto.Support;
using Xunit;
using static P2PChat.Core.Tests.Crypto.Support.Conversation;

namespace P2PChat.Core.Tests.Crypto.Groups;

public sealed class SenderKeyTests
{
    private static readonly byte[] Group = "channel:42"u8.ToArray();

    private static GroupReceiverKey Receive(GroupSenderKey sender) =>
        GroupReceiverKey.FromDistribution(SenderKeyDistribution.Decode(sender.CreateDistribution().Encode()));

    [Fact]
    public void Members_read_messages_in_any_order_once()
    {
        using var alice = GroupSenderKey.Create(new SeededKeySource("group"));
        using var bob = Receive(alice);
        var messages = Enumerable.Range(0, 6).Select(i => alice.Encrypt(Group, Utf8($"m{i}"))).ToList();
        foreach (var i in new[] { 3, 0, 5, 1, 2, 4 }) Assert.Equal($"m{i}", Text(bob.Decrypt(Group, messages[i])));
        foreach (var message in messages) Rejection.Expect(() => bob.Decrypt(Group, message), CryptoFailure.Replayed);
    }

    [Fact]
    public void Distribution_has_the_documented_length()
    {
        using var alice = GroupSenderKey.Create();
        Assert.Equal(SenderKeyDistribution.EncodedLength, alice.CreateDistribution().Encode().Length);
        Assert.Equal(73, SenderKeyDistribution.EncodedLength);
        Assert.Equal(9 + 5 + 16 + 64, alice.Encrypt(Group, "hello"u8).Length);
    }

    [Fact]
    public void A_newcomer_cannot_read_what_was_said_before_they_joined()
    {
        using var alice = GroupSenderKey.Create();
        var history = Enumerable.Range(0, 3).Select(i => alice.Encrypt(Group, Utf8($"before {i}"))).ToList();
        using var newcomer = Receive(alice);
        foreach (var old in history) Rejection.Expect(() => newcomer.Decrypt(Group, old), CryptoFailure.Replayed);
        Assert.Equal("welcome", Text(newcomer.Decrypt(Group, alice.Encrypt(Group, "welcome"u8))));
    }

    [Fact]
    public void A_removed_member_cannot_read_after_the_rekey()
    {
        using var oldKey = GroupSenderKey.Create();
        using var bob = Receive(oldKey);
        using var carol = Receive(oldKey);
        Assert.Equal("all", Text(carol.Decrypt(Group, oldKey.Encrypt(Group, "all"u8))));

        using var newKey = GroupSenderKey.Create();
        using var bobAfter = Receive(newKey);
        var secret = newKey.Encrypt(Group, "carol is gone"u8);
        Assert.NotEqual(oldKey.KeyId, newKey.KeyId);
        Assert.Equal("carol is gone", Text(bobAfter.Decrypt(Group, secret)));
        Rejection.Expect(() => carol.Decrypt(Group, secret), CryptoFailure.UnknownKey);
        Assert.Equal(newKey.KeyId, GroupReceiverKey.ReadKeyId(secret));
    }

    [Fact]
    public void A_member_holding_the_chain_cannot_forge_a_message_from_the_sender()
    {
        using var alice = GroupSenderKey.Create();
        using var bob = Receive(alice);
        var genuine = alice.Encrypt(Group, "genuine"u8);
        var forged = (byte[])genuine.Clone();
        new Random(1).NextBytes(forged.AsSpan(forged.Length - 64));
        Rejection.Expect(() => bob.Decrypt(Group, forged), CryptoFailure.BadSignature);

        using var mallory = GroupSenderKey.Create();
        var malloryWithAlicesId = SenderKeyMessage.EncodeHeader(alice.KeyId, 0);
        var impostor = mallory.Encrypt(Group, "I am alice"u8);
        malloryWithAlicesId.CopyTo(impostor, 0);
        Rejection.Expect(() => bob.Decrypt(Group, impostor), CryptoFailure.BadSignature);
        Assert.Equal("genuine", Text(bob.Decrypt(Group, genuine)));
    }

    [Fact]
    public void Flipping_any_byte_or_moving_to_another_group_is_rejected()
    {
        using var alice = GroupSenderKey.Create();
        using var bob = Receive(alice);
        var message = alice.Encrypt(Group, "integrity"u8);
        for (var i = 0; i < message.Length; i++)
        {
            var forged = (byte[])message.Clone();
            forged[i] ^= 0x01;
            Rejection.Expect(() => bob.Decrypt(Group, forged));
        }
        Rejection.Expect(() => bob.Decrypt("channel:43"u8, message), CryptoFailure.BadSignature);
        Assert.Equal("integrity", Text(bob.Decrypt(Group, message)));
    }

    [Fact]
    public void Too_large_a_gap_is_refused_and_stored_keys_stay_bounded()
    {
        using var alice = GroupSenderKey.Create();
        using var bob = Receive(alice);
        for (var i = 0; i <= GroupReceiverKey.MaxSkip; i++) alice.Encrypt(Group, "lost"u8);
        Rejection.Expect(() => bob.Decrypt(Group, alice.Encrypt(Group, "too far"u8)), CryptoFailure.TooManySkippedMessages);
        Assert.Equal(0u, bob.Iteration);
    }

    [Fact]
    public void Sender_and_receiver_state_survive_serialisation()
    {
        using var alice = GroupSenderKey.Create();
        using var bob = Receive(alice);
        var skipped = alice.Encrypt(Group, "skipped"u8);
        bob.Decrypt(Group, alice.Encrypt(Group, "read"u8));
        using var aliceRestored = GroupSenderKey.Deserialize(alice.Serialize());
        using var bobRestored = GroupReceiverKey.Deserialize(bob.Serialize());
        Assert.Equal("skipped", Text(bobRestored.Decrypt(Group, skipped)));
        Assert.Equal("later", Text(bobRestored.Decrypt(Group, aliceRestored.Encrypt(Group, "later"u8))));
    }

    [Fact]
    public void Seeded_sender_key_gives_fixed_bytes_and_a_stored_signature_verifies()
    {
        using var alice = GroupSenderKey.Create(new SeededKeySource("sender-kat"));
        Assert.Equal("029b38902600000000d4e0509ae430c29a754d75fb69f38058b0413cdcb8c8e7978767f219ac8c8aa78d4b710cfa111cead63bf75251ce2cf2371ae4623d950128f42235bb7f0601e2", Convert.ToHexStringLower(alice.CreateDistribution().Encode()));
        var message = alice.Encrypt(Group, "known answer"u8);
        Assert.Equal("029b389026000000006aeaa1c632e71edad5e435cbd9a19ec7cca1f590732a90e3d0c4607a", Convert.ToHexStringLower(message.AsSpan(0, message.Length - 64)));
        using var bob = GroupReceiverKey.FromDistribution(SenderKeyDistribution.Decode(Convert.FromHexString("029b38902600000000d4e0509ae430c29a754d75fb69f38058b0413cdcb8c8e7978767f219ac8c8aa78d4b710cfa111cead63bf75251ce2cf2371ae4623d950128f42235bb7f0601e2")));
        Assert.Equal("known answer", Text(bob.Decrypt(Group, Convert.FromHexString("029b389026000000006aeaa1c632e71edad5e435cbd9a19ec7cca1f590732a90e3d0c4607a44923a7f6f408ee369647ab2336e072f6ac44f5a38ccf79e87e2685fb74c4998fdbd36efe9427ea125d1d0d98d7fe7b77f423249cf1313318490747c11b06a0e"))));
    }
}

// The link handshake state machine without any network: agreement, identity checks, framing, tampering.
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Links;
using Xunit;

namespace P2PChat.Core.Tests.Links;

public sealed class LinkHandshakeDriverTests
{
    private static readonly IdentityKeyPair Alice = IdentityKeyPair.Generate();
    private static readonly IdentityKeyPair Bob = IdentityKeyPair.Generate();
    private static readonly IdentityKeyPair Mallory = IdentityKeyPair.Generate();

    /// <summary>Runs both drivers to the end, delivering each side's bytes in chunks of <paramref name="chunk"/>.</summary>
    private static (LinkHandshakeStep? Prepared, LinkHandshakeStep? Upgraded) Exchange(LinkHandshakeDriver initiator, LinkHandshakeDriver responder, int chunk = int.MaxValue)
    {
        LinkHandshakeStep? prepared = null, upgraded = null;
        var toResponder = new Queue<byte>(initiator.Start());
        var toInitiator = new Queue<byte>();
        while (toResponder.Count + toInitiator.Count > 0)
        {
            foreach (var (queue, driver, back) in new[] { (toResponder, responder, toInitiator), (toInitiator, initiator, toResponder) })
            {
                while (queue.Count > 0)
                {
                    var part = Enumerable.Range(0, Math.Min(chunk, queue.Count)).Select(_ => queue.Dequeue()).ToArray();
                    var step = driver.Receive(part);
                    if (step.Prepare is not null) prepared = step;
                    if (step.Upgrade is not null) upgraded = step;
                    foreach (var b in step.Send) back.Enqueue(b);
                }
            }
        }
        return (prepared, upgraded);
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(1)]
    [InlineData(7)]
    public void Both_sides_agree_on_keys_and_prove_their_identities(int chunk)
    {
        using var initiator = LinkHandshakeDriver.Initiator(Alice, Bob.Public);
        using var responder = LinkHandshakeDriver.Responder(Bob, remote => remote.Equals(Alice.Public));

        var (prepared, upgraded) = Exchange(initiator, responder, chunk);

        Assert.True(initiator.IsComplete && responder.IsComplete);
        Assert.Equal(Bob.Public, initiator.RemoteIdentity);
        Assert.Equal(Alice.Public, responder.RemoteIdentity);
        Assert.True(initiator.Keys.SendKey.SequenceEqual(responder.Keys.ReceiveKey));
        Assert.True(initiator.Keys.ReceiveKey.SequenceEqual(responder.Keys.SendKey));
        // The initiator only prepares before FINISH (it keeps sending under the old protection); the responder,
        // which has the keys only with FINISH, switches at once and its READY is the first keyed message.
        Assert.NotNull(prepared?.Prepare);
        Assert.Null(prepared!.Upgrade);
        Assert.Equal(LinkFrameType.Finish, (LinkFrameType)prepared.Send[0]);
        Assert.NotNull(upgraded?.Upgrade);
        Assert.Equal(LinkFrameType.Ready, (LinkFrameType)upgraded!.Send[0]);
        Assert.True(upgraded.Complete);
    }

    [Fact]
    public void The_initiator_refuses_a_responder_that_is_not_who_it_called()
    {
        using var initiator = LinkHandshakeDriver.Initiator(Alice, Bob.Public);
        using var impostor = LinkHandshakeDriver.Responder(Mallory, _ => true);

        var reply = impostor.Receive(initiator.Start()).Send;

        Assert.Throws<LinkHandshakeException>(() => initiator.Receive(reply));
        Assert.Throws<LinkHandshakeException>(() => initiator.Receive([]));
    }

    [Fact]
    public void The_responder_refuses_a_caller_it_does_not_accept_before_switching_any_keys()
    {
        using var initiator = LinkHandshakeDriver.Initiator(Mallory, Bob.Public);
        using var responder = LinkHandshakeDriver.Responder(Bob, remote => remote.Equals(Alice.Public));

        var reply = responder.Receive(initiator.Start()).Send;
        var finish = initiator.Receive(reply);

        Assert.Null(finish.Upgrade);
        Assert.Throws<LinkHandshakeException>(() => responder.Receive(finish.Send));   // no READY, no keys switched to
        Assert.False(responder.IsComplete);
    }

    [Fact]
    public void Every_flipped_byte_of_every_message_is_rejected()
    {
        for (int message = 0; message < 2; message++)
        {
            using var probe1 = LinkHandshakeDriver.Initiator(Alice, Bob.Public);
            using var probe2 = LinkHandshakeDriver.Responder(Bob, _ => true);
            var hello = probe1.Start();
            var reply = probe2.Receive(hello).Send;
            var original = message == 0 ? reply : probe1.Receive(reply).Send;
            for (int i = LinkHandshakeFrame.HeaderLength; i < original.Length; i++)
            {
                using var initiator = LinkHandshakeDriver.Initiator(Alice, Bob.Public);
                using var responder = LinkHandshakeDriver.Responder(Bob, _ => true);
                var r = responder.Receive(initiator.Start()).Send;
                var target = message == 0 ? r : initiator.Receive(r).Send;
                var tampered = (byte[])target.Clone();
                tampered[i] ^= 0x01;
                var victim = message == 0 ? initiator : responder;
                Assert.Throws<LinkHandshakeException>(() => victim.Receive(tampered));
            }
        }
    }

    [Theory]
    [InlineData(new byte[] { 9, 0, 0 })]          // unknown type
    [InlineData(new byte[] { 3, 0, 0 })]          // FINISH before HELLO
    [InlineData(new byte[] { 1, 0xFF, 0xFF })]    // a body longer than allowed
    [InlineData(new byte[] { 5, 0, 0 })]          // DONE, which no version sends first
    public void Bad_frames_fail_the_handshake(byte[] frame)
    {
        using var responder = LinkHandshakeDriver.Responder(Bob, _ => true);
        Assert.Throws<LinkHandshakeException>(() => responder.Receive(frame));
    }
}

// Tests of the TCP path's sealing rules without sockets: layout, tampering, replays, reordering, the two-phase switch.
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Protection;
using P2PChat.Core.Transport.Tcp;
using Xunit;

namespace P2PChat.Core.Tests.Transport.Tcp;

public sealed class TcpFrameProtectionTests
{
    private static IPacketProtector SenderKeys() => MatchingProtectors.SideA();
    private static IPacketProtector ReceiverKeys() => MatchingProtectors.SideB();

    private static TcpFrameProtection Upgraded(IPacketProtector protector)
    {
        var protection = new TcpFrameProtection();
        protection.Upgrade(protector);
        return protection;
    }

    private static byte[] Seal(TcpFrameProtection sender, byte type, long streamId, ReadOnlySpan<byte> payload)
    {
        var buffer = new byte[sender.MaxSealedLength(payload.Length)];
        return buffer[..sender.Seal(buffer, type, streamId, payload)];
    }

    /// <summary>Opens a frame as the read loop would: header first, then the protection.</summary>
    private static string? Open(TcpFrameProtection receiver, byte[] frame, out byte type, out long streamId, out byte[] payload)
    {
        type = 0;
        streamId = 0;
        payload = [];
        if (!TcpFrameCodec.TryReadHeader(frame, out byte outer, out long number, out int length, out int header, out _)
            || outer != TcpFrameCodec.Sealed || header + length != frame.Length)
            return "not a whole SEALED frame";
        var copy = frame.ToArray();
        var failure = receiver.TryOpen(copy, header, number, out type, out streamId, out Range range);
        if (failure is null) payload = copy[range];
        return failure;
    }

    [Fact]
    public void A_sealed_frame_carries_the_inner_frame_numbered_and_encrypted()
    {
        var sender = Upgraded(SenderKeys());
        var receiver = Upgraded(ReceiverKeys());
        var secret = "the secret payload"u8.ToArray();

        var first = Seal(sender, TcpFrameCodec.Stream, 4, secret);
        var second = Seal(sender, TcpFrameCodec.Datagram, 0, secret);

        Assert.True(TcpFrameCodec.TryReadHeader(second, out byte outer, out long number, out int length, out int header, out _));
        Assert.Equal((TcpFrameCodec.Sealed, 1L, second.Length), (outer, number, header + length));
        Assert.Equal(-1, first.AsSpan().IndexOf(secret));
        Assert.Null(Open(receiver, first, out byte type, out long id, out byte[] payload));
        Assert.Equal((TcpFrameCodec.Stream, 4L), (type, id));
        Assert.Equal(secret, payload);
        Assert.Null(Open(receiver, second, out type, out id, out payload));
        Assert.Equal((TcpFrameCodec.Datagram, 0L), (type, id));
        Assert.Equal(secret, payload);
        Assert.False(receiver.AcceptsPlain);
    }

    [Fact]
    public void Every_flipped_bit_of_a_sealed_frame_is_refused()
    {
        var frame = Seal(Upgraded(SenderKeys()), TcpFrameCodec.Stream, 0, "flip me"u8);
        for (int i = 1; i < frame.Length; i++)
        for (int bit = 0; bit < 8; bit++)
        {
            var tampered = frame.ToArray();
            tampered[i] ^= (byte)(1 << bit);
            Assert.NotNull(Open(Upgraded(ReceiverKeys()), tampered, out _, out _, out _));
        }
    }

    [Fact]
    public void Replayed_reordered_and_skipped_frames_are_refused()
    {
        var sender = Upgraded(SenderKeys());
        var frames = Enumerable.Range(0, 3).Select(i => Seal(sender, TcpFrameCodec.Stream, 0, [(byte)i])).ToArray();

        var replayed = Upgraded(ReceiverKeys());
        Assert.Null(Open(replayed, frames[0], out _, out _, out _));
        Assert.Contains("replayed", Open(replayed, frames[0], out _, out _, out _));

        Assert.NotNull(Open(Upgraded(ReceiverKeys()), frames[1], out _, out _, out _));

        var skipped = Upgraded(ReceiverKeys());
        Assert.Null(Open(skipped, frames[0], out _, out _, out _));
        Assert.NotNull(Open(skipped, frames[2], out _, out _, out _));
    }

    [Fact]
    public void Frames_under_other_keys_or_before_any_keys_are_refused()
    {
        var frame = Seal(Upgraded(SenderKeys()), TcpFrameCodec.Stream, 0, "x"u8);
        Assert.NotNull(Open(Upgraded(SenderKeys()), frame, out _, out _, out _));
        Assert.Contains("before any keys", Open(new TcpFrameProtection(), frame, out _, out _, out _));
    }

    [Fact]
    public void A_prepared_protector_takes_over_sending_when_the_first_frame_opens_under_it()
    {
        var initiator = Upgraded(SenderKeys());
        var responder = new TcpFrameProtection();
        responder.Prepare(ReceiverKeys());
        Assert.False(responder.SealsOutgoing);
        Assert.False(responder.Settled);
        Assert.True(responder.AcceptsPlain);

        Assert.Null(Open(responder, Seal(initiator, TcpFrameCodec.Stream, 0, "done"u8), out _, out _, out _));

        Assert.True(responder.SealsOutgoing);
        Assert.True(responder.Settled);
        Assert.False(responder.AcceptsPlain);
        Assert.False(initiator.Settled);
        Assert.Null(Open(initiator, Seal(responder, TcpFrameCodec.Fin, 1, []), out byte type, out long id, out _));
        Assert.Equal((TcpFrameCodec.Fin, 1L), (type, id));
        Assert.True(initiator.Settled);
    }
}

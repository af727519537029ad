// Round trips, stream splitting, limits and direction rules of FrameCodec.
using Xunit;
using System.Buffers;
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;

namespace P2PChat.Core.Tests.Protocol;

public class FrameCodecTests
{
    [Theory]
    [MemberData(nameof(SampleFrames.Indexes), MemberType = typeof(SampleFrames))]
    public void Every_frame_survives_a_round_trip(int index)
    {
        var (frame, direction) = SampleFrames.All.ElementAt(index);
        var bytes = FrameCodec.ToBytes(frame);

        var parsed = FrameCodec.Parse(bytes, direction);

        Assert.Equal(frame.GetType(), parsed.GetType());
        Assert.Equal(bytes, FrameCodec.ToBytes(parsed));
        Assert.Equal((uint)(bytes.Length - 4), System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes));
        Assert.Equal((byte)frame.Opcode, bytes[4]);
    }

    [Fact]
    public void The_seed_layout_of_IAM_is_kept()
    {
        var bytes = FrameCodec.ToBytes(new Iam("bob", "pw"));
        Assert.Equal(new byte[] { 0, 0, 0, 8, 1, 3, 2, (byte)'b', (byte)'o', (byte)'b', (byte)'p', (byte)'w' }, bytes);
    }

    [Fact]
    public void The_documented_MSG_example_encodes_byte_for_byte()
    {
        var bytes = FrameCodec.ToBytes(new MsgSend(new Tag(0x80000002), "hi"u8.ToArray(), 7, MessageFlags.None));
        Assert.Equal(Convert.FromHexString("00000010" + "04" + "80000002" + "00000002" + "6869" + "00000007" + "00"), bytes);
    }

    [Theory]
    [InlineData(FrameDirection.ToServer)]
    [InlineData(FrameDirection.ToClient)]
    public void Frames_split_at_every_byte_are_all_read(FrameDirection direction)
    {
        var frames = direction == FrameDirection.ToServer ? SampleFrames.ToServer : SampleFrames.ToClient;
        var stream = frames.SelectMany(f => FrameCodec.ToBytes(f)).ToArray();
        var expected = frames.Select(f => Convert.ToHexString(FrameCodec.ToBytes(f))).ToList();

        for (var split = 0; split <= stream.Length; split++)
        {
            // As one sequence of two segments...
            var seq = Segments.Of(stream[..split], stream[split..]);
            Assert.Equal(expected, ReadAll(ref seq, direction));
            Assert.True(seq.IsEmpty);

            // ...and as the first part alone, then the whole, like a socket delivering in two reads.
            var first = new ReadOnlySequence<byte>(stream[..split]);
            var early = ReadAll(ref first, direction);
            var consumed = split - (int)first.Length;
            var rest = new ReadOnlySequence<byte>(stream[consumed..]);
            Assert.Equal(expected, early.Concat(ReadAll(ref rest, direction)).ToList());
        }
    }

    [Fact]
    public void An_oversized_length_is_refused_before_the_body_arrives()
    {
        var header = new ReadOnlySequence<byte>([0x40, 0, 0, 0]);
        var ex = Assert.Throws<ProtocolException>(() => FrameCodec.TryRead(ref header, FrameDirection.ToServer, 65536, out _));
        Assert.Equal(StatusCode.FrameTooLarge, ex.Code);
    }

    [Fact]
    public void A_frame_of_exactly_the_limit_is_accepted_and_one_more_byte_is_not()
    {
        var limit = FrameCodec.HeaderSize + 4 + 4 + 100 + 4 + 1 - 4;
        var frame = new MsgSend(Tag.General, new byte[100], 1, MessageFlags.None);
        Assert.NotNull(FrameCodec.Parse(FrameCodec.ToBytes(frame), FrameDirection.ToServer, limit));
        var ex = Assert.Throws<ProtocolException>(() => FrameCodec.Parse(FrameCodec.ToBytes(frame), FrameDirection.ToServer, limit - 1));
        Assert.Equal(StatusCode.FrameTooLarge, ex.Code);
        Assert.Throws<ArgumentException>(() => FrameCodec.ToBytes(frame, limit - 1));
    }

    [Theory]
    [InlineData("00000000")]                     // no opcode
    [InlineData("00000001FF")]                   // unknown opcode
    [InlineData("0000000102")]                   // ADD is server-to-client only
    [InlineData("00000003040000")]               // MSG cut inside its tag
    [InlineData("000000061500000000000000")]     // PING with 5 of its 8 nonce bytes... and length lying
    [InlineData("0000000A1D800000020200000000")] // IGNORE bool = 2, plus trailing bytes
    [InlineData("0000000313FFFF")]               // NICK claims 255 bytes, has 1
    [InlineData("0000000413" + "02C328")]        // NICK with invalid UTF-8
    [InlineData("0000000A10" + "58585858" + "00010001" + "00")] // HELLO without the P2PC magic
    public void Malformed_frames_are_refused_with_a_reason(string hex)
    {
        var bytes = Convert.FromHexString(hex);
        var seq = new ReadOnlySequence<byte>(bytes);
        try
        {
            var complete = FrameCodec.TryRead(ref seq, FrameDirection.ToServer, 65536, out _);
            Assert.False(complete, "a malformed frame must not parse");
            Assert.Equal(bytes.Length, (int)seq.Length);
        }
        catch (ProtocolException ex)
        {
            Assert.Equal(StatusCode.MalformedFrame, ex.Code);
            Assert.False(string.IsNullOrWhiteSpace(ex.Message));
        }
    }

    [Fact]
    public void Trailing_bytes_inside_a_frame_are_malformed()
    {
        var bytes = FrameCodec.ToBytes(new Buzz(Tag.User(3))).Concat(new byte[] { 0 }).ToArray();
        bytes[3]++;
        var ex = Assert.Throws<ProtocolException>(() => FrameCodec.Parse(bytes, FrameDirection.ToServer));
        Assert.Equal(StatusCode.MalformedFrame, ex.Code);
    }

    [Fact]
    public void Fields_longer_than_their_prefix_are_refused_when_writing()
    {
        Assert.Throws<ArgumentException>(() => FrameCodec.ToBytes(new Nick(new string('x', 256))));
        Assert.Throws<ArgumentException>(() => FrameCodec.ToBytes(new Iam(new string('x', 256), "")));
    }

    [Fact]
    public void Tags_know_users_from_channels()
    {
        Assert.True(Tag.General.IsChannel);
        Assert.False(Tag.General.IsUser);
        Assert.True(Tag.User(1).IsUser);
        Assert.Equal(0x8000_0001u, Tag.User(1).Value);
        Assert.False(Tag.None.IsUser || Tag.None.IsChannel);
        Assert.Throws<ArgumentOutOfRangeException>(() => Tag.Channel(0x8000_0000));
    }

    [Theory]
    [InlineData(1, 1, (ushort)1)]
    [InlineData(1, 9, (ushort)1)]
    [InlineData(2, 9, null)]
    [InlineData(0, 0, null)]
    public void Versions_are_agreed_on_the_highest_common_one(int min, int max, ushort? expected) =>
        Assert.Equal(expected, ProtocolVersion.Agree((ushort)min, (ushort)max));

    private static List<string> ReadAll(ref ReadOnlySequence<byte> seq, FrameDirection direction)
    {
        var got = new List<string>();
        while (FrameCodec.TryRead(ref seq, direction, FrameCodec.DefaultMaxFrameSize, out var frame))
            got.Add(Convert.ToHexString(FrameCodec.ToBytes(frame)));
        return got;
    }
}

// The link frames (LINK, CANDIDATES, INTRO, RELAY): the documented bytes and every refusal of a bad candidate list or packet.
using System.Net;
using Xunit;
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;

namespace P2PChat.Core.Tests.Protocol;

public class LinkFrameTests
{
    [Fact]
    public void The_documented_LINK_example_encodes_byte_for_byte()
    {
        var frame = new LinkRequest(new Tag(0x80000002), 9, DirectSetting.Friends, 3,
            [new(LinkCandidateKind.Lan, new IPEndPoint(IPAddress.Parse("192.168.1.10"), 40000)),
             new(LinkCandidateKind.Reflexive, new IPEndPoint(IPAddress.Parse("11.1.1.2"), 40000))]);
        Assert.Equal(Convert.FromHexString("0000001c" + "40" + "80000002" + "00000009" + "01" + "03" + "02"
            + "01" + "04" + "c0a8010a" + "9c40"
            + "02" + "04" + "0b010102" + "9c40"), FrameCodec.ToBytes(frame));
    }

    [Fact]
    public void The_documented_RELAY_example_encodes_byte_for_byte()
    {
        Assert.Equal(Convert.FromHexString("0000000a" + "43" + "80000002" + "0003" + "010203"),
            FrameCodec.ToBytes(new RelaySend(new Tag(0x80000002), new byte[] { 1, 2, 3 })));
    }

    [Fact]
    public void An_IPv6_candidate_takes_twenty_bytes_and_keeps_its_address()
    {
        var six = new LinkCandidate(LinkCandidateKind.Ipv6, new IPEndPoint(IPAddress.Parse("2a0f:11:10::10"), 443));
        var bytes = FrameCodec.ToBytes(new LinkCandidates(DirectSetting.Everyone, 2, [six]));
        Assert.Equal(5 + 1 + 1 + 1 + 20, bytes.Length);
        var parsed = (LinkCandidates)FrameCodec.Parse(bytes, FrameDirection.ToServer);
        Assert.Equal(six, parsed.Candidates.Single());
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "41" + "01" + "03" + "01" + "01" + "05" + "0a000001" + "0001", "address family 5" },
        { "41" + "01" + "03" + "01" + "01" + "04" + "0a000001" + "0000", "port 0" },
        { "41" + "01" + "03" + "01" + "09" + "04" + "0a000001" + "0001", "kind 9" },
        { "41" + "01" + "03" + "01" + "01" + "06" + "0a000001" + "0001", "IPv6 address cut short" },
        { "41" + "03" + "03" + "00", "direct setting 3" },
        { "41" + "01" + "07" + "00", "NAT behaviour 7" },
        { "41" + "01" + "03" + "11", "17 candidates" },
        { "43" + "80000002" + "0000", "empty relay packet" },
        { "43" + "80000002" + "05dd" + new string('0', 2 * 1501), "relay packet over 1500 bytes" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_malformed_link_frame_is_refused(string body, string why)
    {
        var bytes = Convert.FromHexString(((body.Length / 2)).ToString("x8") + body);
        var e = Assert.Throws<ProtocolException>(() => FrameCodec.Parse(bytes, FrameDirection.ToServer));
        Assert.True(e.Code == StatusCode.MalformedFrame, why);
    }

    [Fact]
    public void INTRO_refuses_a_token_of_the_wrong_size_and_unknown_flags()
    {
        var good = FrameCodec.ToBytes(new Intro(Tag.User(2), 1, new byte[65], new byte[16], IntroFlags.None, 5, 0, []));
        FrameCodec.Parse(good, FrameDirection.ToClient);
        var seventeen = Enumerable.Repeat(new LinkCandidate(LinkCandidateKind.Lan, new IPEndPoint(IPAddress.Loopback, 1)), 17).ToArray();
        Assert.Throws<ArgumentException>(() => FrameCodec.ToBytes(new Intro(Tag.User(2), 1, [], new byte[16], IntroFlags.None, 5, 0, seventeen)));
        var flags = (byte[])good.Clone();
        flags[4 + 1 + 4 + 4 + 2 + 65 + 2 + 16] = 4;   // the flags byte
        Assert.Throws<ProtocolException>(() => FrameCodec.Parse(flags, FrameDirection.ToClient));
        var shortToken = FrameCodec.ToBytes(new Intro(Tag.User(2), 1, new byte[65], new byte[15], IntroFlags.None, 5, 0, []));
        Assert.Throws<ProtocolException>(() => FrameCodec.Parse(shortToken, FrameDirection.ToClient));
    }

    [Fact]
    public void Link_frames_are_refused_in_the_wrong_direction()
    {
        Assert.Throws<ProtocolException>(() => FrameCodec.Parse(FrameCodec.ToBytes(new LinkCandidates(DirectSetting.Friends, 0, [])), FrameDirection.ToClient));
        Assert.Throws<ProtocolException>(() => FrameCodec.Parse(
            FrameCodec.ToBytes(new Intro(Tag.User(2), 1, [], new byte[16], IntroFlags.None, 5, 0, [])), FrameDirection.ToServer));
    }
}

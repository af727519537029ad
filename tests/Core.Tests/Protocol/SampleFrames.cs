// One or more sample values of every frame record, in both directions, for the codec tests.
using Xunit;
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;

namespace P2PChat.Core.Tests.Protocol;

internal static class SampleFrames
{
    private static readonly Tag Alice = Tag.User(1);
    private static readonly Tag Bob = Tag.User(2);
    private static readonly Tag Rust = Tag.Channel(7);

    public static readonly Frame[] ToServer =
    [
        new Hello(1, 1, "p2pchat/test"),
        new Iam("alice", "correct horse"),
        new Iam("élodie", ""),
        new Register("alice", "password123", "a@example.org", "Alice", "Alice Liddell", "1990-05-04", "f", "Paris", [1, 2, 3]),
        new Register("bob", "password123"),
        new Nick("Al 🐇"),
        new SetPresence(Presence.Away, "lunch"),
        new Ping(ulong.MaxValue),
        new Pong(42),
        new UpdRequest(Rust),
        new UpdRequest(Alice),
        new MsgSend(Bob, "hi"u8.ToArray(), 7, MessageFlags.None),
        new MsgSend(Tag.General, new byte[5000], uint.MaxValue, MessageFlags.Encrypted),
        new InvSend(Rust, Bob),
        new CoJoin(Rust),
        new Create("rust", ChannelFlags.InviteOnly, "borrowck support"),
        new Leave(Rust),
        new Kick(Bob, Rust),
        new Kick(Bob, Tag.None),
        new Ban(Bob, 60),
        new Topic(Rust, ""),
        new Friend(FriendAction.Request, Bob),
        new Friend(FriendAction.Remove, Bob),
        new Ignore(Bob, true),
        new Ignore(Bob, false),
        new Buzz(Bob),
        new Resolve("#rust"),
        new Quit(),
        new OfflineAck(123456789),
        new Prekeys(new byte[133], [new byte[69], new byte[69]]),
        new Prekeys([], []),
        new BundleRequest(Bob),
        new IdentityChange(new byte[131]),
        new MsgMultiSend([new MsgPart(Bob, "k1"u8.ToArray()), new MsgPart(Alice, new byte[300])], 8, MessageFlags.Encrypted),
        new MsgMultiSend([], 0, MessageFlags.None),
        new LinkRequest(Bob, 9, DirectSetting.Friends, 3, [new(LinkCandidateKind.Lan, new System.Net.IPEndPoint(System.Net.IPAddress.Parse("192.168.1.10"), 40000)),
            new(LinkCandidateKind.Ipv6, new System.Net.IPEndPoint(System.Net.IPAddress.Parse("2a0f:11:10::10"), 40000))]),
        new LinkRequest(Bob, 0, DirectSetting.Nobody, 0, []),
        new LinkCandidates(DirectSetting.Everyone, 5, [new(LinkCandidateKind.Reflexive, new System.Net.IPEndPoint(System.Net.IPAddress.Parse("11.1.1.2"), 1))]),
        new RelaySend(Bob, new byte[1200]),
    ];

    public static readonly Frame[] ToClient =
    [
        new HelloOk(1, 1_767_268_800_000, 10_000, "p2pchat-rendezvous"),
        new IamOk(Alice, true, 1_767_268_800_000, "Alice"),
        new AddUser(Bob, "Bobby", "bob", Presence.Online, "", UserFlags.Friend, []),
        new AddUser(Alice, "Alice", "alice", Presence.Away, "brb", UserFlags.Admin, new byte[65]),
        new AddChannel(Tag.General, "general", ChannelFlags.None, "everyone"),
        new AddChannel(Rust, "rust", ChannelFlags.InviteOnly | ChannelFlags.Operator, "🦀"),
        new Upd(Rust, [Alice, Bob], [Alice]),
        new Upd(Alice, [], []),
        new MsgDeliver(Alice, "hello"u8.ToArray(), Bob, 1_767_268_800_123, MessageFlags.Offline, 99),
        new MsgDeliver(Alice, Array.Empty<byte>(), Rust, -1, MessageFlags.None, 0),
        new InvNotify(Rust, Alice),
        new CoJoined(Rust, Bob),
        new Status(StatusCode.Flooding, Opcode.Msg, Bob, 60, "slow down"),
        new Status(StatusCode.Buzzed, 0, Alice, 0, ""),
        new PresenceUpdate(Bob, Presence.Offline, ""),
        new Ping(1),
        new Pong(1),
        new Left(Rust, Bob, LeaveReason.Kicked, Alice),
        new MsgAck(7, 99, 1_767_268_800_123, MessageFlags.Offline),
        new Bundle(Bob, new byte[131], new byte[133], new byte[69]),
        new Bundle(Bob, new byte[131], new byte[133], []),
        new PrekeysLow(3),
        new MsgMultiAck(8, 1_767_268_800_123, [
            new MsgPartOutcome(Bob, StatusCode.Ok, MessageFlags.Offline, 100),
            new MsgPartOutcome(Alice, StatusCode.UnknownUser, MessageFlags.None, 0)]),
        new MsgMultiAck(9, 0, []),
        new Intro(Bob, 9, new byte[65], new byte[16], IntroFlags.Controlling, 1_767_268_800_100, 3,
            [new(LinkCandidateKind.Mapped, new System.Net.IPEndPoint(System.Net.IPAddress.Parse("11.1.1.2"), 5000))]),
        new Intro(Alice, 0, new byte[65], new byte[16], IntroFlags.Withheld, 0, 0, []),
        new RelayDeliver(Alice, new byte[] { 1, 2, 3 }),
    ];

    public static IEnumerable<(Frame Frame, FrameDirection Direction)> All =>
        ToServer.Select(f => (f, FrameDirection.ToServer)).Concat(ToClient.Select(f => (f, FrameDirection.ToClient)));

    public static TheoryData<int> Indexes()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < All.Count(); i++) data.Add(i);
        return data;
    }
}

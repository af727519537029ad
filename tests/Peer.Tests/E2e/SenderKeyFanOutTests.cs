// The first message to a large invite-only channel: its sender keys go out in one MSG_MULTI, so the flood rule never trips.
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Crypto.Prekeys;
using P2PChat.Core.Crypto.Ratchet;
using P2PChat.Core.Payloads;
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Peer.Server;
using P2PChat.Peer.E2e;
using P2PChat.Peer.Events;
using P2PChat.Peer.Tests.Fakes;
using Xunit;

namespace P2PChat.Peer.Tests.E2e;

public sealed class SenderKeyFanOutTests : IAsyncLifetime
{
    private const int Members = 15;
    /// <summary>The server's rule (docs/protocol.md): more than 10 commands in 5 s, PING/PONG/OFFLINE_ACK/QUIT/PREKEYS/BUNDLE aside.</summary>
    private const int FloodLimit = 10;
    private readonly FakeServer _server = new();
    private ScriptedPeer _alice = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Member(Tag Tag, string Name, IdentityKeyPair Identity, PrekeyPair Prekey) : IDisposable
    {
        public AddUser Describe() => new(Tag, Name, Name, Presence.Online, "", UserFlags.None, Identity.Public.Encode());
        public Bundle Bundle() => new(Tag, Identity.Public.Encode(), Prekey.ToSignedPublic().Encode(), []);
        public void Dispose() { Identity.Dispose(); Prekey.Dispose(); }
    }

    private readonly List<Member> _members = [];

    public async ValueTask InitializeAsync()
    {
        for (var i = 0; i < Members; i++)
        {
            var identity = IdentityKeyPair.Generate();
            _members.Add(new Member(Tag.User(10 + (uint)i), $"member{i}", identity, PrekeyPair.CreateSigned(identity, 1)));
        }
        _alice = ScriptedPeer.Create(_server, "alice", Tag.User(1));
        await _alice.SignInAsync(_server, "correct horse", [.. _members.Select(m => m.Describe())]);
    }

    public async ValueTask DisposeAsync()
    {
        await _alice.DisposeAsync();
        await _server.DisposeAsync();
        foreach (var m in _members) m.Dispose();
    }

    [Fact]
    public async Task The_first_message_to_a_channel_of_fifteen_members_goes_out_without_a_flood_penalty()
    {
        var secret = Tag.Channel(42);
        await _alice.Session.SendAsync(new AddChannel(secret, "secret", ChannelFlags.InviteOnly, ""),
            new Upd(secret, [_alice.Tag, .. _members.Select(m => m.Tag)], [_alice.Tag]));
        await _alice.Events.WaitForAsync<MembersEvent>(m => m.Channel == "#secret");

        var sending = _alice.Client.SendTextAsync("#secret", "hello everyone", Ct);
        var counted = 0;
        var multis = new List<MsgMultiSend>();
        MsgSend? channelMessage = null;
        while (channelMessage is null)
        {
            var frame = await _alice.Session.ReadAnyAsync() ?? throw new Xunit.Sdk.XunitException("the client closed the connection");
            if (frame is not (Ping or Pong or OfflineAck or Quit or Prekeys or BundleRequest)) counted++;
            // The test plays the server, with its flood rule: the 11th counted command would get STATUS 25.
            if (counted > FloodLimit) await _alice.Session.SendAsync(new Status(StatusCode.Flooding, frame.Opcode, Tag.None, 60, "too many"));
            switch (frame)
            {
                case BundleRequest request:
                    await _alice.Session.SendAsync(_members.Single(m => m.Tag == request.User).Bundle());
                    break;
                case MsgMultiSend multi:
                    multis.Add(multi);
                    await _alice.Session.SendAsync(new MsgMultiAck(multi.RequestId, 0,
                        [.. multi.Parts.Select((p, i) => new MsgPartOutcome(p.To, StatusCode.Ok, MessageFlags.None, (ulong)i + 1))]));
                    break;
                case MsgSend { To.IsChannel: true } msg:
                    channelMessage = msg;
                    await _alice.Session.SendAsync(new MsgAck(msg.RequestId, 1000, 0, MessageFlags.None));
                    break;
                default:
                    throw new Xunit.Sdk.XunitException($"unexpected {frame}");
            }
        }
        await sending;

        Assert.Equal(2, counted);                              // one MSG_MULTI and the channel MSG
        var multiFrame = Assert.Single(multis);
        Assert.Equal(MessageFlags.Encrypted, multiFrame.Flags);
        Assert.Equal(_members.Select(m => m.Tag.Value).Order(), multiFrame.Parts.Select(p => p.To.Value).Order());
        foreach (var part in multiFrame.Parts)
        {
            // Each part is that member's own pairwise first message carrying alice's sender key for #secret.
            var member = _members.Single(m => m.Tag == part.To);
            using var session = PairwiseSession.Accept(member.Identity, MessageEnvelope.Decode(part.Data.Span), member.Prekey, null, out var payload);
            Assert.Equal(secret.Value, PmPayload.DecodeSenderKey(payload)?.Channel);
        }
        Assert.Equal("#secret", (await _alice.Events.WaitForAsync<SentEvent>()).To);
        Assert.DoesNotContain(_alice.Events.Events, e => e is ErrorEvent);
    }

    [Fact]
    public async Task A_part_the_server_refuses_is_reported_as_an_error_naming_the_member()
    {
        var secret = Tag.Channel(43);
        var two = _members.Take(2).ToList();
        await _alice.Session.SendAsync(new AddChannel(secret, "small", ChannelFlags.InviteOnly, ""),
            new Upd(secret, [_alice.Tag, .. two.Select(m => m.Tag)], [_alice.Tag]));
        await _alice.Events.WaitForAsync<MembersEvent>(m => m.Channel == "#small");

        var sending = _alice.Client.SendTextAsync("#small", "hi", Ct);
        for (var i = 0; i < 2; i++)
        {
            var request = await _alice.Session.ReadAsync<BundleRequest>();
            await _alice.Session.SendAsync(two.Single(m => m.Tag == request.User).Bundle());
        }
        var multi = await _alice.Session.ReadAsync<MsgMultiSend>();
        await _alice.Session.ReadAsync<MsgSend>();
        await sending;
        await _alice.Session.SendAsync(new MsgMultiAck(multi.RequestId, 0, [
            new MsgPartOutcome(multi.Parts[0].To, StatusCode.Ok, MessageFlags.Offline, 7),
            new MsgPartOutcome(multi.Parts[1].To, StatusCode.QueueFull, MessageFlags.None, 0)]));

        var error = await _alice.Events.WaitForAsync<ErrorEvent>();
        var refused = _members.Single(m => m.Tag == multi.Parts[1].To).Name;
        Assert.Equal(((int)StatusCode.QueueFull, "msg"), (error.Code, error.Command));
        Assert.StartsWith($"{refused}: ", error.Text);
    }

    [Fact]
    public async Task A_message_sent_while_our_join_is_unanswered_waits_for_the_member_list_so_every_member_gets_our_key()
    {
        // The race behind a flaky end-to-end test: /msg right after /join ran before the member list had arrived, so
        // the sender key went to nobody and the members could not read the message.
        var late = Tag.Channel(44);
        var member = _members[0];
        await _alice.Session.SendAsync(new AddChannel(late, "late", ChannelFlags.InviteOnly, ""), new InvNotify(late, member.Tag));
        await _alice.Events.WaitForAsync<InviteEvent>(i => i.Channel == "#late");
        await _alice.Client.JoinAsync("#late", Ct);
        Assert.Equal(new CoJoin(late), await _alice.Session.ReadAsync<CoJoin>());

        var sending = _alice.Client.SendTextAsync("#late", "first words", Ct);
        await _alice.Session.SendAsync(
            new AddChannel(late, "late", ChannelFlags.InviteOnly, ""),
            new Upd(late, [_alice.Tag, member.Tag], []),
            new CoJoined(late, _alice.Tag));

        // The first thing sent after the join is answered: the member's bundle, for its copy of our sender key.
        Assert.Equal(member.Tag, (await _alice.Session.ReadAsync<BundleRequest>()).User);
        await _alice.Session.SendAsync(member.Bundle());
        var multi = await _alice.Session.ReadAsync<MsgMultiSend>();
        Assert.Equal([member.Tag], multi.Parts.Select(p => p.To));
        Assert.Equal(late, (await _alice.Session.ReadAsync<MsgSend>()).To);
        await sending;
    }
}

// Introductions obey both users' direct settings; the relay passes packets only between introduced users, within budget.
using System.Net;
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Links;

public sealed class LinkCommandsTests
{
    private static readonly LinkCandidate AliceLan = new(LinkCandidateKind.Lan, new IPEndPoint(IPAddress.Parse("192.168.1.10"), 4000));
    private static readonly LinkCandidate BobReflexive = new(LinkCandidateKind.Reflexive, new IPEndPoint(IPAddress.Parse("11.1.2.2"), 5000));

    private static async Task<TestClient> WithKeyAsync(TestServer server, string username)
    {
        var client = await server.ConnectAsync();
        await client.SendAsync(new Register(username, "password1", IdentityKey: Enumerable.Repeat((byte)username[0], 65).ToArray()));
        await client.ExpectAsync<Status>(s => s.RefOpcode == Opcode.Register);
        await client.SignInAsync(username);
        return client;
    }

    private static async Task BefriendAsync(TestClient a, TestClient b)
    {
        await a.SendAsync(new Friend(FriendAction.Request, b.Tag));
        await b.ExpectStatusAsync(StatusCode.FriendRequest);
        await b.SendAsync(new Friend(FriendAction.Accept, a.Tag));
        await a.ExpectStatusAsync(StatusCode.FriendAccepted);
        await b.SyncAsync();
    }

    private static async Task<(Intro ToAlice, Intro ToBob)> IntroduceAsync(TestClient alice, TestClient bob, DirectSetting aliceSetting, DirectSetting bobSetting)
    {
        await bob.SendAsync(new LinkCandidates(bobSetting, 5, [BobReflexive]));
        await bob.ExpectAsync<Status>(s => s.RefOpcode == Opcode.Candidates && s.Code == StatusCode.Ok);
        await alice.SendAsync(new LinkRequest(bob.Tag, 77, aliceSetting, 3, [AliceLan]));
        return (await alice.ExpectAsync<Intro>(), await bob.ExpectAsync<Intro>());
    }

    [Fact]
    public async Task Friends_are_introduced_to_each_other_with_candidates_one_token_and_one_controlling_side()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await WithKeyAsync(server, "alice");
        await using var bob = await WithKeyAsync(server, "bob");
        await BefriendAsync(alice, bob);

        var (toAlice, toBob) = await IntroduceAsync(alice, bob, DirectSetting.Friends, DirectSetting.Friends);

        Assert.Equal((bob.Tag, 77u), (toAlice.Peer, toAlice.RequestId));
        Assert.Equal([BobReflexive], toAlice.Candidates);
        Assert.Equal((alice.Tag, 0u), (toBob.Peer, toBob.RequestId));
        Assert.Equal([AliceLan], toBob.Candidates);
        Assert.Equal(toAlice.Token, toBob.Token);
        Assert.Equal(toAlice.StartAtMs, toBob.StartAtMs);
        Assert.Equal(Enumerable.Repeat((byte)'b', 65), toAlice.IdentityKey);
        Assert.Equal(Enumerable.Repeat((byte)'a', 65), toBob.IdentityKey);
        Assert.NotEqual(toAlice.Controlling, toBob.Controlling);
        Assert.Equal(alice.Tag.Value < bob.Tag.Value, toAlice.Controlling);
        Assert.False(toAlice.Flags.HasFlag(IntroFlags.Withheld));
        Assert.Equal((5, 3), (toAlice.Nat, toBob.Nat));
    }

    [Theory]
    [InlineData(false, DirectSetting.Friends, DirectSetting.Friends, false)]
    [InlineData(false, DirectSetting.Everyone, DirectSetting.Friends, false)]
    [InlineData(false, DirectSetting.Everyone, DirectSetting.Everyone, true)]
    [InlineData(true, DirectSetting.Nobody, DirectSetting.Everyone, false)]
    [InlineData(true, DirectSetting.Everyone, DirectSetting.Nobody, false)]
    [InlineData(true, DirectSetting.Friends, DirectSetting.Everyone, true)]
    public async Task Candidates_are_revealed_only_where_both_settings_allow_else_both_sides_get_none(
        bool friends, DirectSetting aliceSetting, DirectSetting bobSetting, bool revealed)
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await WithKeyAsync(server, "alice");
        await using var bob = await WithKeyAsync(server, "bob");
        if (friends) await BefriendAsync(alice, bob);

        var (toAlice, toBob) = await IntroduceAsync(alice, bob, aliceSetting, bobSetting);

        Assert.Equal(revealed, toAlice.Candidates.Count > 0);
        Assert.Equal(revealed, toBob.Candidates.Count > 0);
        Assert.Equal(!revealed, toAlice.Flags.HasFlag(IntroFlags.Withheld));
        Assert.Equal(!revealed, toBob.Flags.HasFlag(IntroFlags.Withheld));
        Assert.Equal(revealed ? 5 : 0, toAlice.Nat);
    }

    [Fact]
    public async Task A_link_to_an_offline_user_to_oneself_or_from_someone_ignored_is_refused_with_the_requestId()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await WithKeyAsync(server, "alice");
        var carol = await server.RegisteredAsync("carol");
        await alice.SendAsync(new LinkRequest(carol, 5, DirectSetting.Friends, 0, []));
        var offline = await alice.ExpectAsync<Status>(s => s.RefOpcode == Opcode.Link);
        Assert.Equal((StatusCode.PeerUnreachable, 5u, carol), (offline.Code, offline.Value, offline.Subject));

        await alice.SendAsync(new LinkRequest(alice.Tag, 6, DirectSetting.Friends, 0, []));
        Assert.Equal((StatusCode.LinkNotAllowed, 6u), ((await alice.ExpectAsync<Status>(s => s.RefOpcode == Opcode.Link)).Code, 6u));

        await using var bob = await WithKeyAsync(server, "bob");
        await bob.SendAsync(new Ignore(alice.Tag, true));
        await bob.ExpectStatusAsync(StatusCode.Ok);
        await alice.SendAsync(new LinkRequest(bob.Tag, 7, DirectSetting.Everyone, 0, [AliceLan]));
        var ignored = await alice.ExpectAsync<Status>(s => s.RefOpcode == Opcode.Link);
        Assert.Equal((StatusCode.PeerUnreachable, 7u), (ignored.Code, ignored.Value));
        Assert.DoesNotContain(await bob.SyncAsync(), f => f is Intro);
    }

    [Fact]
    public async Task Relay_frames_pass_between_introduced_users_only_and_others_are_dropped_without_an_answer()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await WithKeyAsync(server, "alice");
        await using var bob = await WithKeyAsync(server, "bob");
        await using var carol = await WithKeyAsync(server, "carol");
        await alice.SyncAsync();
        await bob.SyncAsync();

        await alice.SendAsync(new RelaySend(bob.Tag, new byte[] { 9 }));           // not introduced yet
        await alice.SendAsync(new RelaySend(Tag.User(999_999), new byte[] { 9 }));  // nobody
        Assert.DoesNotContain(await alice.SyncAsync(), f => f is Status or RelayDeliver);
        Assert.DoesNotContain(await bob.SyncAsync(), f => f is RelayDeliver);

        await IntroduceAsync(alice, bob, DirectSetting.Friends, DirectSetting.Friends);
        var packet = Enumerable.Range(0, 1200).Select(i => (byte)i).ToArray();
        await alice.SendAsync(new RelaySend(bob.Tag, packet));
        var delivered = await bob.ExpectAsync<RelayDeliver>();
        Assert.Equal(alice.Tag, delivered.From);
        Assert.Equal(packet, delivered.Packet.ToArray());
        Assert.Equal(FrameCodec.ToBytes(new RelaySend(bob.Tag, packet)).Length, FrameCodec.ToBytes(delivered).Length);

        await bob.SendAsync(new RelaySend(alice.Tag, new byte[] { 1, 2 }));
        Assert.Equal(new byte[] { 1, 2 }, (await alice.ExpectAsync<RelayDeliver>()).Packet.ToArray());

        await carol.SendAsync(new RelaySend(bob.Tag, new byte[] { 6 }));            // carol was never introduced to bob
        Assert.DoesNotContain(await carol.SyncAsync(), f => f is Status or RelayDeliver);
        Assert.DoesNotContain(await bob.SyncAsync(), f => f is RelayDeliver);
    }

    [Fact]
    public async Task Over_the_relay_budget_packets_are_dropped_with_one_status_a_second_until_it_refills()
    {
        var clock = new P2PChat.TestSupport.ManualTimeProvider();
        await using var server = await TestServer.StartAsync(o =>
            (o.RelayPacketsPerSecond, o.RelayBytesPerSecond, o.HeartbeatTimeoutSeconds) = (3, 1 << 20, 24 * 3600), clock);
        await using var alice = await WithKeyAsync(server, "alice");
        await using var bob = await WithKeyAsync(server, "bob");
        await IntroduceAsync(alice, bob, DirectSetting.Friends, DirectSetting.Friends);

        for (byte i = 1; i <= 6; i++) await alice.SendAsync(new RelaySend(bob.Tag, new[] { i }));
        var statuses = (await alice.SyncAsync()).OfType<Status>().ToList();
        var limited = Assert.Single(statuses);
        Assert.Equal((StatusCode.RelayLimited, Opcode.Relay, bob.Tag), (limited.Code, limited.RefOpcode, limited.Subject));
        Assert.True(limited.Value > 0);
        Assert.Equal([1, 2, 3], (await bob.SyncAsync()).OfType<RelayDeliver>().Select(d => (int)d.Packet.Span[0]));

        clock.Advance(TimeSpan.FromSeconds(1));
        await alice.SendAsync(new RelaySend(bob.Tag, new byte[] { 7 }));
        Assert.Equal(7, (await bob.ExpectAsync<RelayDeliver>()).Packet.Span[0]);
    }
}

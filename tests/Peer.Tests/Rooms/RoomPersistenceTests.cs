// Rooms saved across restarts: a member rejoins by itself, a room whose members all restarted resumes, damage is set aside.
using P2PChat.Core.Rooms;
using P2PChat.Peer.Events;
using P2PChat.Peer.Rooms;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Peer.Tests.Rooms;

public sealed class RoomPersistenceTests
{
    [Fact]
    public async Task A_member_that_restarts_rejoins_by_itself_shown_offline_meanwhile_and_gets_what_it_missed_once()
    {
        using var folder = new TempDirectory("p2pchat-rooms");
        await using var lab = new RoomLab { SaveFolder = folder.Path };
        var (m, _) = await lab.RoomOfAsync(3);
        await m[2].Room.SayAsync("before");
        foreach (var x in m) await x.Events.WaitForAsync<MessageEvent>(e => e.Text == "before");

        await lab.StopAsync(m[2]);
        var offline = await m[1].Events.WaitForAsync<RoomStateEvent>(e => e.Members.Count == 3 && e.Members.Any(x => x.User == m[2].Name && !x.Online));
        Assert.Equal(3, offline.Members.Count);   // listed as offline, not dropped
        await m[0].Room.SayAsync("while away");

        var back = lab.Resume(m[2]);
        Assert.Equal("rejoined", (await back.Events.WaitForAsync<RoomHostEvent>()).Reason);
        await back.Events.WaitForAsync<MessageEvent>(e => e.Text == "while away");
        await back.Room.SayAsync("back again");
        foreach (var x in m[..2]) await x.Events.WaitForAsync<MessageEvent>(e => e.Text == "back again");
        await back.Events.WaitForAsync<MessageEvent>(e => e.Text == "back again");
        Assert.Equal(["while away", "back again"], back.Texts);   // "before" was shown before the restart, not again
        Assert.Equal(m[0].Room.State.Digest(), back.Room.State.Digest());
    }

    [Fact]
    public async Task A_room_whose_members_all_restarted_resumes_with_its_state_host_order_and_history()
    {
        using var folder = new TempDirectory("p2pchat-rooms");
        await using var lab = new RoomLab { SaveFolder = folder.Path };
        var (m, _) = await lab.RoomOfAsync(3);
        for (var i = 0; i < 3; i++) await m[i].Room.SayAsync($"said by {i}");
        foreach (var x in m)
            for (var i = 0; i < 3; i++) await x.Events.WaitForAsync<MessageEvent>(e => e.Text == $"said by {i}");
        var before = m[1].Room.State;

        // Members first, the host last (so nobody fails over on the way down), then everyone starts again.
        foreach (var x in m.Reverse()) await lab.StopAsync(x);
        var back = m.Select(lab.Resume).ToArray();
        foreach (var x in back)
            await x.Events.WaitForAsync<RoomStateEvent>(e => e.Members.Count == 3 && e.Members.All(y => y.Online));
        foreach (var x in back)
        {
            Assert.Equal((before.Host, before.Epoch), (x.Room.State.Host, x.Room.State.Epoch));
            Assert.Equal(before.Succession, x.Room.State.Succession);
        }

        await back[2].Room.SayAsync("after the restart");
        foreach (var x in back) await x.Events.WaitForAsync<MessageEvent>(e => e.Text == "after the restart");
        foreach (var x in back) Assert.Equal(["after the restart"], x.Texts);   // the history before is not shown twice
    }

    [Fact]
    public async Task A_damaged_saved_room_is_set_aside_and_reported_while_the_others_rejoin()
    {
        using var folder = new TempDirectory("p2pchat-rooms");
        await using var lab = new RoomLab { SaveFolder = folder.Path };
        var (m, _) = await lab.RoomOfAsync(2);
        await lab.StopAsync(m[1]);
        var saved = Path.Combine(folder.Path, m[1].Name);
        var good = Directory.GetFiles(saved, "room-*.bin").Single();
        var bytes = File.ReadAllBytes(good);
        File.WriteAllBytes(Path.Combine(saved, "room-00000000000000aa.bin"), bytes[..(bytes.Length / 2)]);

        var back = lab.Resume(m[1]);
        var error = await back.Events.WaitForAsync<ErrorEvent>();
        Assert.Contains("set aside", error.Text);
        Assert.True(File.Exists(Path.Combine(saved, "room-00000000000000aa.bin.damaged")));
        await back.Events.WaitForAsync<RoomStateEvent>(e => e.Members.Count == 2 && e.Members.All(y => y.Online));
    }

    [Fact]
    public async Task Every_truncation_of_a_saved_room_is_refused_as_damaged_and_the_whole_record_round_trips()
    {
        using var folder = new TempDirectory("p2pchat-rooms");
        await using var lab = new RoomLab { SaveFolder = folder.Path };
        var (m, _) = await lab.RoomOfAsync(2);
        await m[1].Room.SayAsync("kept");
        foreach (var x in m) await x.Events.WaitForAsync<MessageEvent>(e => e.Text == "kept");
        await lab.StopAsync(m[1]);
        var bytes = File.ReadAllBytes(Directory.GetFiles(Path.Combine(folder.Path, m[1].Name), "room-*.bin").Single());

        var record = RoomRecordCodec.Decode(bytes);
        Assert.Equal(bytes, RoomRecordCodec.Encode(record));
        Assert.Equal(2UL, record.NextSequence);
        Assert.Single(record.Recent);
        for (var length = 0; length < bytes.Length; length++)
            Assert.Throws<RoomProtocolException>(() => RoomRecordCodec.Decode(bytes.AsSpan(0, length)));
    }
}

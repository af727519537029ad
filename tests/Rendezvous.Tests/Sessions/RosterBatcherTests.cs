// Roster cards, presence updates and member lists packed into frames at the frame limit, with no ceiling on entries.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Rendezvous.Sessions;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Sessions;

public sealed class RosterBatcherTests
{
    private static AddUser Card(uint n) => new(new Tag(0x8000_0000 | n), $"nick{n}", $"user{n}", Presence.Online, "", UserFlags.None, new byte[32]);

    [Fact]
    public void A_single_card_stays_a_plain_ADD()
    {
        var frames = RosterBatcher.Cards([Card(1)], FrameCodec.DefaultMaxFrameSize).ToList();
        Assert.IsType<AddUser>(Assert.Single(frames));
    }

    [Fact]
    public void Twenty_thousand_cards_fill_frames_up_to_the_limit_and_all_arrive_in_order()
    {
        var cards = Enumerable.Range(1, 20_000).Select(i => Card((uint)i)).ToList();
        var frames = RosterBatcher.Cards(cards, FrameCodec.DefaultMaxFrameSize).ToList();

        Assert.All(frames, f => Assert.True(FrameCodec.ToBytes(f).Length - 4 <= FrameCodec.DefaultMaxFrameSize));
        Assert.True(frames.Count < 40, $"{frames.Count} frames for 20,000 cards");
        var parsed = frames.Select(f => FrameCodec.Parse(FrameCodec.ToBytes(f), FrameDirection.ToClient)).ToList();
        Assert.Equal(cards.Select(c => (c.Tag, c.Username, c.IdentityKey.Length)),
            parsed.SelectMany(f => f is Roster r ? r.Users : [(AddUser)f]).Select(c => (c.Tag, c.Username, c.IdentityKey.Length)));
    }

    [Fact]
    public void Presence_updates_batch_the_same_way()
    {
        var updates = Enumerable.Range(1, 9_000).Select(i => new PresenceUpdate(new Tag(0x8000_0000 | (uint)i), Presence.Away, "lunch")).ToList();
        var frames = RosterBatcher.Presences(updates, 4096).ToList();
        Assert.True(frames.Count > 1);
        Assert.Equal(updates, frames.Select(f => FrameCodec.Parse(FrameCodec.ToBytes(f, 4096), FrameDirection.ToClient, 4096))
            .SelectMany(f => f is PresenceBatch b ? b.Updates : [(PresenceUpdate)f]));
    }

    [Fact]
    public void A_member_list_that_fits_is_one_UPD()
    {
        var frames = RosterBatcher.MemberList(Tag.General, [new Tag(0x8000_0001)], [], FrameCodec.DefaultMaxFrameSize).ToList();
        Assert.IsType<Upd>(Assert.Single(frames));
    }

    [Fact]
    public void A_member_list_beyond_one_frame_comes_in_MEMBERS_parts_from_first_to_last()
    {
        // 20,000 members do not fit 64 KiB (4 bytes each): the seed's UPD had a ceiling of about 16,380 users online.
        var members = Enumerable.Range(1, 20_000).Select(i => new Tag(0x8000_0000 | (uint)i)).ToList();
        var operators = members.Take(3).ToList();
        var parts = RosterBatcher.MemberList(new Tag(7), members, operators, FrameCodec.DefaultMaxFrameSize)
            .Select(f => (MembersPart)FrameCodec.Parse(FrameCodec.ToBytes(f), FrameDirection.ToClient)).ToList();

        Assert.True(parts.Count >= 2);
        Assert.Equal(MembersFlags.First, parts[0].Flags);
        Assert.Equal(MembersFlags.Last, parts[^1].Flags);
        Assert.All(parts.Skip(1).SkipLast(1), p => Assert.Equal(MembersFlags.None, p.Flags));
        Assert.Equal(members, parts.SelectMany(p => p.Members));
        Assert.Equal(operators, parts.SelectMany(p => p.Operators));
    }
}

// Tests of member list scrolling in the view state: page steps, clamping, and a stable top while members change.
using P2PChat.Peer.Tests.Tui.Support;
using P2PChat.Peer.Tui.State;
using Xunit;

namespace P2PChat.Peer.Tests.Tui.State;

public sealed class ChatViewStateMembersTests
{
    private readonly ChatViewState _state = new(new ManualTimeProvider());

    public ChatViewStateMembersTests()
    {
        _state.MemberRows = 5; // page = 3 members
        _state.SetMembers("#general", Enumerable.Range(0, 12).Select(i => new Member($"u{i:00}", MemberPresence.Online)));
    }

    private string TopMember()
    {
        lock (_state.Gate) return MemberOrder.Sorted(_state.Buffers.Current.Members)[_state.MemberOffset("#general")].Key;
    }

    [Fact]
    public void Scrolls_by_pages_and_stops_at_both_ends()
    {
        _state.ScrollMembers(1);
        Assert.Equal(3, _state.MemberOffset("#general"));
        _state.ScrollMembers(10);
        Assert.Equal(MemberWindow.MaxOffset(12, 5), _state.MemberOffset("#general"));
        _state.ScrollMembers(-1);
        Assert.Equal(5, _state.MemberOffset("#general"));
        _state.ScrollMembers(-10);
        Assert.Equal(0, _state.MemberOffset("#general"));
    }

    [Fact]
    public void The_member_at_the_top_stays_there_when_others_join_leave_or_go_away()
    {
        _state.ScrollMembers(1);
        Assert.Equal("u03", TopMember());

        _state.SetMember("#general", new Member("a-newcomer", MemberPresence.Online)); // sorts above u03
        Assert.Equal("u03", TopMember());
        _state.RemoveMember("#general", "u00");
        Assert.Equal("u03", TopMember());
        _state.SetPresence("u01", MemberPresence.Away); // moves below u03
        Assert.Equal("u03", TopMember());
        _state.SetMember("#general", new Member("zed", MemberPresence.Offline)); // below: no effect
        Assert.Equal("u03", TopMember());
    }

    [Fact]
    public void When_the_top_member_leaves_the_offset_stays_in_range_and_an_unscrolled_list_stays_at_the_top()
    {
        _state.ScrollMembers(10);
        _state.SetMembers("#general", [new Member("solo", MemberPresence.Online)]);
        Assert.Equal(0, _state.MemberOffset("#general"));

        _state.SetMembers("#general", Enumerable.Range(0, 12).Select(i => new Member($"u{i:00}", MemberPresence.Online)));
        _state.SetMember("#general", new Member("a-first", MemberPresence.Online));
        Assert.Equal(0, _state.MemberOffset("#general"));
        Assert.Equal("a-first", TopMember());
    }

    [Fact]
    public void Each_buffer_keeps_its_own_member_scroll()
    {
        _state.ScrollMembers(1);
        _state.OpenBuffer("#rust", switchTo: true);
        _state.SetMembers("#rust", [new Member("x", MemberPresence.Online)]);
        _state.ScrollMembers(1);

        Assert.Equal((3, 0), (_state.MemberOffset("#general"), _state.MemberOffset("#rust")));
    }
}

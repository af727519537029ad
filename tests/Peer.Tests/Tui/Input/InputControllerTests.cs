// Tests of the input controller: keys change the view state and submitted lines are handed on.
using P2PChat.Peer.Tests.Tui.Support;
using P2PChat.Peer.Tui.Input;
using P2PChat.Peer.Tui.State;
using Xunit;

namespace P2PChat.Peer.Tests.Tui.Input;

public sealed class InputControllerTests
{
    private readonly ChatViewState _state = new(new ManualTimeProvider());
    private readonly List<string> _submitted = [];
    private readonly KeyPresses _controller;

    public InputControllerTests()
    {
        _state.OpenBuffer("#rust");
        _state.SetMembers("#general", [new Member("alice", MemberPresence.Online)]);
        _controller = new KeyPresses(_state, new InputController(_state, _submitted.Add));
    }

    private void Type(string text) => _controller.Type(text);

    private void Press(ConsoleKey key, char c = '\0', bool alt = false, bool ctrl = false) => _controller.Press(key, c, alt, ctrl);

    [Fact]
    public void Enter_submits_the_line_clears_it_and_records_history()
    {
        Type("hello 😀");
        Press(ConsoleKey.Enter, '\r');
        Assert.Equal(["hello 😀"], _submitted);
        Assert.Equal("", _state.InputText);
        Press(ConsoleKey.UpArrow);
        Assert.Equal("hello 😀", _state.InputText);
    }

    [Fact]
    public void Blank_lines_are_not_submitted()
    {
        Type("   ");
        Press(ConsoleKey.Enter, '\r');
        Assert.Empty(_submitted);
    }

    [Fact]
    public void Tab_completes_from_the_current_buffers_members()
    {
        Type("al");
        Press(ConsoleKey.Tab, '\t');
        Assert.Equal("alice: ", _state.InputText);
    }

    [Fact]
    public void Alt_2_switches_and_ctrl_c_requests_quit()
    {
        Press(ConsoleKey.D2, '2', alt: true);
        Assert.Equal("#rust", _state.CurrentBufferId);
        Press(ConsoleKey.C, '\x03', ctrl: true);
        Assert.True(_state.QuitRequested.IsCompleted);
    }

    [Fact]
    public void Home_scrolls_to_the_top_only_when_the_line_is_empty()
    {
        _state.Viewport = (40, 5);
        for (int i = 0; i < 50; i++) _state.AddMessage("#general", "bob", $"m{i}");
        Type("ab");
        Press(ConsoleKey.Home);
        Assert.Equal(0, _state.Summary("#general")!.ScrollOffset);
        Press(ConsoleKey.K, '\x0b', ctrl: true); // the cursor is at the start after Home: cut to the end
        Press(ConsoleKey.Home);
        Assert.Equal(45, _state.Summary("#general")!.ScrollOffset);
        Press(ConsoleKey.End);
        Assert.Equal(0, _state.Summary("#general")!.ScrollOffset);
    }

    [Fact]
    public void F7_toggles_the_member_list()
    {
        bool before;
        lock (_state.Gate) before = _state.ShowMembers;
        Press(ConsoleKey.F7);
        lock (_state.Gate) Assert.NotEqual(before, _state.ShowMembers);
    }
}

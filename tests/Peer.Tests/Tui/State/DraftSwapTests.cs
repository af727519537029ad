// Tests of per-buffer drafts: unsent text and its cursor stay with their buffer across switches; history stays global.
using P2PChat.Peer.Tests.Tui.Support;
using P2PChat.Peer.Tui.Input;
using P2PChat.Peer.Tui.State;
using Xunit;

namespace P2PChat.Peer.Tests.Tui.State;

public sealed class DraftSwapTests
{
    private readonly ChatViewState _state = new(new ManualTimeProvider());
    private readonly List<string> _submitted = [];
    private readonly KeyPresses _keys;

    public DraftSwapTests()
    {
        _state.OpenBuffer("#rust");
        _state.OpenBuffer("@bob");
        _keys = new KeyPresses(_state, new InputController(_state, _submitted.Add));
    }

    private void Type(string text) => _keys.Type(text);

    private void Press(ConsoleKey key, char c = '\0', bool alt = false, bool ctrl = false) => _keys.Press(key, c, alt, ctrl);

    private int Cursor { get { lock (_state.Gate) return _state.Input.Line.Cursor; } }

    [Fact]
    public void Alt_digits_park_the_draft_with_its_buffer_and_bring_it_back_with_the_cursor()
    {
        Type("half a thought");
        Press(ConsoleKey.LeftArrow); Press(ConsoleKey.LeftArrow);
        Press(ConsoleKey.D2, '2', alt: true);

        Assert.Equal("#rust", _state.CurrentBufferId);
        Assert.Equal("", _state.InputText);
        Type("rust draft");

        Press(ConsoleKey.D1, '1', alt: true);
        Assert.Equal(("#general", "half a thought", 12), (_state.CurrentBufferId, _state.InputText, Cursor));

        Press(ConsoleKey.D2, '2', alt: true);
        Assert.Equal(("rust draft", 10), (_state.InputText, Cursor));
    }

    [Fact]
    public void Ctrl_n_ctrl_p_and_alt_a_switch_drafts_too()
    {
        Type("one");
        Press(ConsoleKey.N, '\x0e', ctrl: true);
        Type("two");
        Press(ConsoleKey.N, '\x0e', ctrl: true);
        Assert.Equal(("@bob", ""), (_state.CurrentBufferId, _state.InputText));

        _state.AddMessage("#general", "alice", "ping");
        Press(ConsoleKey.A, 'a', alt: true);
        Assert.Equal(("#general", "one"), (_state.CurrentBufferId, _state.InputText));

        Press(ConsoleKey.P, '\x10', ctrl: true);
        Assert.Equal(("@bob", ""), (_state.CurrentBufferId, _state.InputText));
        Press(ConsoleKey.P, '\x10', ctrl: true);
        Assert.Equal(("#rust", "two"), (_state.CurrentBufferId, _state.InputText));
    }

    [Fact]
    public void A_buffer_opened_by_the_client_also_swaps_and_a_draft_is_given_back_only_once()
    {
        Type("draft in general");
        _state.OpenBuffer("#new", switchTo: true);
        Assert.Equal("", _state.InputText);

        _state.SwitchTo("#general");
        Assert.Equal("draft in general", _state.InputText);
        Press(ConsoleKey.Enter);
        _state.SwitchTo("#new");
        _state.SwitchTo("#general");

        Assert.Equal(["draft in general"], _submitted);
        Assert.Equal("", _state.InputText);
    }

    [Fact]
    public void Staying_on_the_same_buffer_keeps_the_line_and_history_is_shared_by_all_buffers()
    {
        Type("keep me");
        _state.SwitchTo("#general");
        Assert.Equal("keep me", _state.InputText);

        Press(ConsoleKey.Enter);
        Press(ConsoleKey.D2, '2', alt: true);
        Press(ConsoleKey.UpArrow);
        Assert.Equal("keep me", _state.InputText);
    }

    [Fact]
    public void Closing_the_current_buffer_drops_its_draft_and_restores_the_one_shown_next()
    {
        Type("general draft");
        _state.SwitchTo("#rust");
        Type("doomed");
        _state.CloseBuffer("#rust");

        Assert.Equal(("#general", "general draft"), (_state.CurrentBufferId, _state.InputText));
    }

    [Fact]
    public void A_history_walk_ends_at_a_switch_so_down_in_the_next_buffer_does_not_bring_back_the_other_draft()
    {
        Type("sent");
        Press(ConsoleKey.Enter);
        Type("general draft");
        Press(ConsoleKey.UpArrow);
        Assert.Equal("sent", _state.InputText);

        Press(ConsoleKey.D2, '2', alt: true);
        Press(ConsoleKey.DownArrow);
        Assert.Equal("", _state.InputText);
        Press(ConsoleKey.UpArrow);
        Assert.Equal("sent", _state.InputText);

        Press(ConsoleKey.D1, '1', alt: true);
        Assert.Equal("sent", _state.InputText); // what was on the line when general was left
    }
}

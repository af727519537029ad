// Typed lines: /commands run through the shared command layer (with the TUI's own), text goes to the current buffer.
using P2PChat.Peer.Server;
using P2PChat.Peer.Commands;
using P2PChat.Peer.Events;
using P2PChat.Peer.Tests.Fakes;
using P2PChat.Peer.Tui.Binding;
using P2PChat.Peer.Tui.State;
using Xunit;

namespace P2PChat.Peer.Tests.Tui.Binding;

public sealed class InputRouterTests
{
    private readonly ChatViewState _state = new();
    private readonly RecordingChatSession _client = new();
    private readonly ListEventSink _events = new();
    private readonly List<(string Target, string Text)> _sent = [];
    private readonly InputRouter _router;

    public InputRouterTests()
    {
        var registry = new CommandRegistry(SentMessageHook.Around(BuiltInCommands.All, (t, x) => _sent.Add((t, x))).Concat(TuiCommands.For(_state)));
        _router = new InputRouter(_state, new CommandDispatcher(_client, _events, registry));
    }

    private Task Type(string line) => _router.SubmitAsync(line, TestContext.Current.CancellationToken);

    [Fact]
    public async Task Text_goes_to_the_current_channel_or_user()
    {
        await Type("hello everyone");
        _state.OpenBuffer("@bob", switchTo: true);
        await Type("hi bob");
        await Type("//not a command");

        Assert.Equal(["msg #general hello everyone", "msg bob hi bob", "msg bob /not a command"], _client.Calls);
        Assert.Equal(3, _sent.Count);
    }

    [Fact]
    public async Task Commands_run_once_and_their_errors_become_events()
    {
        await Type("/join #rust");
        await Type("/nosuch thing");

        Assert.Equal(["join #rust"], _client.Calls);
        Assert.Equal("nosuch", _events.Single<ErrorEvent>().Command);
    }

    [Fact]
    public async Task Quit_signs_off_and_closes_the_ui()
    {
        await Type("/quit");
        Assert.Equal(["quit"], _client.Calls);
        Assert.True(_state.QuitRequested.IsCompleted);
    }

    [Fact]
    public async Task Query_opens_a_private_buffer_close_closes_it_and_clear_empties_the_screen_only()
    {
        await Type("/query @bob");
        Assert.Equal("@bob", _state.CurrentBufferId);
        Assert.Equal(PeerRoute.Server, _state.Summary("@bob")!.Route);
        await Type("/close");
        Assert.Equal(["#general"], _state.BufferIdsInOrder());

        _state.AddMessage("#general", "alice", "old line");
        await Type("/clear");
        Assert.Empty(_state.Messages("#general"));

        await Type("/close #general");
        Assert.Contains("can not be closed", _events.Single<ErrorEvent>().Text);
    }

    [Fact]
    public async Task Blank_text_sends_nothing()
    {
        await Type("   ");
        Assert.Empty(_client.Calls);
    }

    [Fact]
    public async Task A_whois_line_is_noted_for_the_binder_before_it_runs()
    {
        var whois = new PendingWhois();
        var registry = new CommandRegistry(BuiltInCommands.All);
        var router = new InputRouter(_state, new CommandDispatcher(_client, _events, registry), whois);

        await router.SubmitAsync("/whois bob", TestContext.Current.CancellationToken);
        await router.SubmitAsync("/who #general", TestContext.Current.CancellationToken);

        Assert.Equal(["whois bob", "who #general"], _client.Calls);
        Assert.True(whois.TryTake("bob"));
    }
}

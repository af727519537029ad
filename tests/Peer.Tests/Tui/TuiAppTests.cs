// Tests of the TUI entry point with a fake terminal: typing reaches the command layer, errors show inline, quit restores.
using P2PChat.Peer.Tests.Tui.Support;
using P2PChat.Peer.Tui;
using P2PChat.Peer.Tui.Rendering;
using P2PChat.Peer.Tui.State;
using P2PChat.Peer.Tui.Terminal;
using Xunit;

namespace P2PChat.Peer.Tests.Tui;

public sealed class TuiAppTests
{
    private readonly ChatViewState _state = new(new ManualTimeProvider());
    private readonly ScriptedKeySource _keys = new();
    private readonly RecordingStream _output = new();

    private Task Run(Func<string, Task> submit) =>
        TuiApp.RunAsync(_state, submit, new TuiTerminal(_output, _keys, new FixedTerminalSize(80, 24), new ManualTimeProvider(), OwnsConsole: false), TestContext.Current.CancellationToken);

    [Fact]
    public async Task A_typed_line_is_submitted_and_ctrl_c_quits_and_leaves_the_alternate_screen()
    {
        var submitted = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var app = Run(line =>
        {
            submitted.TrySetResult(line);
            return Task.CompletedTask;
        });
        _keys.Type("/join #rust");
        _keys.Press(ConsoleKey.Enter, '\r');
        Assert.Equal("/join #rust", await submitted.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        _keys.Press(ConsoleKey.C, '\x03', ConsoleModifiers.Control);
        await app.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.StartsWith(TerminalRenderer.EnterSequence, _output.Writes[0]);
        Assert.Equal(TerminalRenderer.LeaveSequence, _output.Writes[^1]);
    }

    [Fact]
    public async Task A_failing_command_shows_an_error_line_in_the_current_buffer()
    {
        var app = Run(_ => throw new InvalidOperationException("no such channel"));
        _keys.Type("/join #nope");
        _keys.Press(ConsoleKey.Enter, '\r');
        await WaitUntil(() => _state.Messages("#general").Any(m => m.Kind == MessageKind.Error));
        Assert.Equal("no such channel", _state.Messages("#general").Single().Text);
        _state.RequestQuit();
        await app.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task The_end_of_key_input_ends_the_ui_and_restores_the_terminal()
    {
        var app = Run(_ => Task.CompletedTask);
        _keys.Complete();
        await app.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(TerminalRenderer.LeaveSequence, _output.Writes[^1]);
    }

    // Waits on state changes (the same signal the render loop uses), with a safety timeout.
    private async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in 10 s");
            await _state.Changes.WaitAsync(TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken);
        }
    }
}

// Tests of the render loop: draws on change only, coalesces bursts, repaints fully on resize.
using P2PChat.Peer.Tests.Tui.Support;
using P2PChat.Peer.Tui.Rendering;
using P2PChat.Peer.Tui.State;
using Xunit;

namespace P2PChat.Peer.Tests.Tui.Rendering;

public sealed class RenderLoopTests
{
    private readonly ChatViewState _state = new(new ManualTimeProvider());
    private readonly RecordingStream _stream = new();
    private readonly FixedTerminalSize _size = new(80, 24);
    private readonly TerminalRenderer _renderer;
    private readonly RenderLoop _loop;

    public RenderLoopTests()
    {
        _renderer = new TerminalRenderer(_stream);
        _loop = new RenderLoop(_state, _renderer, _size, new ManualTimeProvider());
    }

    [Fact]
    public void Draws_only_when_something_changed()
    {
        Assert.True(_loop.DrawIfNeeded());
        Assert.False(_loop.DrawIfNeeded());
        _state.AddMessage("#general", "bob", "hi");
        Assert.True(_loop.DrawIfNeeded());
        Assert.Equal(2, _stream.Writes.Count);
    }

    [Fact]
    public void A_burst_of_messages_becomes_one_frame()
    {
        _loop.DrawIfNeeded();
        for (int i = 0; i < 100; i++) _state.AddMessage("#general", "bob", $"m{i}");
        Assert.True(_loop.DrawIfNeeded());
        Assert.Equal(2, _loop.FramesDrawn);
        Assert.Contains("m99", _stream.Writes[1]);
    }

    [Fact]
    public void A_resize_repaints_everything_at_the_new_size()
    {
        _loop.DrawIfNeeded();
        _size.Current = (200, 60);
        Assert.True(_loop.DrawIfNeeded());
        Assert.Equal(60, _renderer.LastChangedRows);
        Assert.Contains("\e[2J", _stream.Writes[1]);
        Assert.Contains("\e[60;1H", _stream.Writes[1]);
    }

    [Fact]
    public async Task The_running_loop_draws_after_a_change_and_stops_on_cancel()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var running = _loop.RunAsync(cts.Token);
        await _stream.WaitForWritesAsync(1);
        _state.AddMessage("#general", "bob", "wake up");
        await _stream.WaitForWritesAsync(2);
        Assert.Contains("wake up", _stream.Writes[1]);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }
}

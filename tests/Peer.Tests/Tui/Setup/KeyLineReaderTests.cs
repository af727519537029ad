// Tests of reading a line from keys: echo, masking, backspace over emoji, Ctrl-C.
using P2PChat.Peer.Tests.Tui.Support;
using P2PChat.Peer.Tui.Setup;
using Xunit;

namespace P2PChat.Peer.Tests.Tui.Setup;

public sealed class KeyLineReaderTests
{
    private readonly ScriptedKeySource _keys = new();
    private readonly StringWriter _echo = new();

    [Fact]
    public async Task Backspace_removes_a_whole_emoji()
    {
        _keys.Type("ab😀");
        _keys.Press(ConsoleKey.Backspace, '\x7f');
        _keys.Type("c\r");
        Assert.Equal("abc", await KeyLineReader.ReadLineAsync(_keys, _echo, masked: false, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Masked_input_echoes_one_star_per_element()
    {
        _keys.Type("p😀w\r");
        Assert.Equal("p😀w", await KeyLineReader.ReadLineAsync(_keys, _echo, masked: true, TestContext.Current.CancellationToken));
        Assert.Equal("***" + Environment.NewLine, _echo.ToString());
    }

    [Fact]
    public async Task Ctrl_c_cancels()
    {
        _keys.Type("abc");
        _keys.Press(ConsoleKey.C, '\x03', ConsoleModifiers.Control);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => KeyLineReader.ReadLineAsync(_keys, _echo, masked: true, TestContext.Current.CancellationToken));
    }
}

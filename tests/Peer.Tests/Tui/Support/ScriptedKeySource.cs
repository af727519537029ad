// A key source fed by the test: presses keys and types text as a terminal would deliver them.
using System.Threading.Channels;
using P2PChat.Peer.Tui.Terminal;

namespace P2PChat.Peer.Tests.Tui.Support;

public sealed class ScriptedKeySource : IKeySource
{
    private readonly Channel<ConsoleKeyInfo> _keys = Channel.CreateUnbounded<ConsoleKeyInfo>();

    public void Press(ConsoleKeyInfo key) => _keys.Writer.TryWrite(key);

    public void Press(ConsoleKey key, char c = '\0', ConsoleModifiers modifiers = 0) =>
        Press(new ConsoleKeyInfo(c, key, modifiers.HasFlag(ConsoleModifiers.Shift), modifiers.HasFlag(ConsoleModifiers.Alt), modifiers.HasFlag(ConsoleModifiers.Control)));

    /// <summary>Types each char of <paramref name="text"/> as its own key event (an emoji becomes two, as in a terminal).</summary>
    public void Type(string text)
    {
        foreach (char c in text) Press(new ConsoleKeyInfo(c, c == '\r' ? ConsoleKey.Enter : 0, false, false, false));
    }

    public void Complete() => _keys.Writer.TryComplete();

    public ValueTask<ConsoleKeyInfo> ReadKeyAsync(CancellationToken ct) => _keys.Reader.ReadAsync(ct);
}

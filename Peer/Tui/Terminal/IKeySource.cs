// Where key presses come from (the console, or a script in tests).
namespace P2PChat.Peer.Tui.Terminal;

public interface IKeySource
{
    /// <summary>The next key press; throws OperationCanceledException when <paramref name="ct"/> fires.</summary>
    ValueTask<ConsoleKeyInfo> ReadKeyAsync(CancellationToken ct);
}

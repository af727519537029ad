// Reads keys from the console on a background thread (Console.ReadKey blocks and cannot be cancelled).
using System.Threading.Channels;

namespace P2PChat.Peer.Tui.Terminal;

/// <summary>
/// One background thread calls Console.ReadKey(intercept: true) forever and queues the keys; readers await the
/// queue with a cancellation token. The thread is a background thread, so it never keeps the process alive.
/// </summary>
public sealed class ConsoleKeySource : IKeySource
{
    private readonly Channel<ConsoleKeyInfo> _keys = Channel.CreateUnbounded<ConsoleKeyInfo>(new() { SingleReader = true, SingleWriter = true });
    private int _started;

    /// <summary>The one instance for the process: the first-run prompt and the TUI must share the reading thread.</summary>
    public static ConsoleKeySource Shared { get; } = new();

    private ConsoleKeySource()
    {
    }

    public ValueTask<ConsoleKeyInfo> ReadKeyAsync(CancellationToken ct)
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
            new Thread(ReadForever) { IsBackground = true, Name = "tui-keys" }.Start();
        return _keys.Reader.ReadAsync(ct);
    }

    private void ReadForever()
    {
        try
        {
            while (true) _keys.Writer.TryWrite(Console.ReadKey(intercept: true));
        }
        catch (InvalidOperationException ex)
        {
            _keys.Writer.TryComplete(ex); // stdin is not a terminal
        }
    }
}

// The headless front end: slash commands in, one JSON event per line out, until /quit or end of input.
using P2PChat.Peer.Client;
using P2PChat.Peer.Commands;

namespace P2PChat.Peer.Headless;

/// <summary>
/// Reads one command per line from <c>input</c> and runs it; meanwhile writes every event as one JSON line to
/// <c>output</c>, flushing after each. End of input counts as /quit. <c>output</c> carries nothing but events.
/// </summary>
public sealed class HeadlessLoop(TextReader input, TextWriter output, CommandDispatcher dispatcher, EventStream events,
    Action<ClientEvent>? observe = null)
{
    /// <param name="firstLines">commands to run before reading input (e.g. the --login of the command line).</param>
    public async Task RunAsync(IEnumerable<string> firstLines, CancellationToken ct)
    {
        var writer = Task.Run(() => WriteEventsAsync(ct), CancellationToken.None);
        try
        {
            if (await RunAllAsync(firstLines, ct).ConfigureAwait(false))
            {
                while (true)
                {
                    var line = await input.ReadLineAsync(ct).ConfigureAwait(false);
                    if (line is null) { await dispatcher.RunAsync("/quit", ct).ConfigureAwait(false); break; }
                    if (!await dispatcher.RunAsync(line, ct).ConfigureAwait(false)) break;
                }
            }
        }
        finally
        {
            events.Complete();
            await writer.ConfigureAwait(false);
        }
    }

    private async Task<bool> RunAllAsync(IEnumerable<string> lines, CancellationToken ct)
    {
        foreach (var line in lines)
            if (!await dispatcher.RunAsync(line, ct).ConfigureAwait(false)) return false;
        return true;
    }

    private async Task WriteEventsAsync(CancellationToken ct)
    {
        await foreach (var e in events.ReadAllAsync(ct).ConfigureAwait(false))
        {
            observe?.Invoke(e);
            await output.WriteLineAsync(EventJson.Serialize(e).AsMemory(), ct).ConfigureAwait(false);
            await output.FlushAsync(ct).ConfigureAwait(false);
        }
    }
}

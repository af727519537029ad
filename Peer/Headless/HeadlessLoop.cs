// The headless front end: slash commands in, one JSON event per line out, until /quit or end of input.
using P2PChat.Peer.Commands;
using P2PChat.Peer.Events;

namespace P2PChat.Peer.Headless;

/// <summary>
/// Reads one command per line from <c>input</c> and runs it; meanwhile writes every event as one JSON line to
/// <c>output</c>, flushing after each. End of input counts as /quit, and so does cancellation (Ctrl-C, SIGTERM).
/// <c>output</c> carries nothing but events; if it is closed, events are dropped and commands still run.
/// </summary>
public sealed class HeadlessLoop(TextReader input, TextWriter output, CommandDispatcher dispatcher, EventStream events,
    Action<ClientEvent>? observe = null)
{
    /// <param name="startup">what to do before reading input (connect, --login); it reports its own failures as events.</param>
    public async Task RunAsync(Func<CancellationToken, Task> startup, CancellationToken ct)
    {
        // The writer drains the stream until it is completed below, so the last events (disconnected) get out.
        var writer = Task.Run(WriteEventsAsync, CancellationToken.None);
        try
        {
            await startup(ct).ConfigureAwait(false);
            while (true)
            {
                var line = await ReadLineAsync(ct).ConfigureAwait(false);
                if (line is null) { await dispatcher.RunAsync("/quit", ct).ConfigureAwait(false); break; }
                if (!await dispatcher.RunAsync(line, ct).ConfigureAwait(false)) break;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await dispatcher.RunAsync("/quit", CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            events.Complete();
            await writer.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The next input line. Console.In blocks inside ReadLineAsync and ignores the token, so the read runs on a pool
    /// thread and the wait is what gets cancelled (the abandoned read ends with the process).
    /// </summary>
    private Task<string?> ReadLineAsync(CancellationToken ct) =>
        Task.Run(() => input.ReadLineAsync(ct).AsTask(), CancellationToken.None).WaitAsync(ct);

    private async Task WriteEventsAsync()
    {
        var open = true;
        await foreach (var e in events.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            observe?.Invoke(e);
            if (!open) continue;
            try
            {
                await output.WriteLineAsync(EventJson.Serialize(e)).ConfigureAwait(false);
                await output.FlushAsync().ConfigureAwait(false);
            }
            catch (IOException) { open = false; } // the reader went away (broken pipe)
        }
    }
}

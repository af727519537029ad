// The headless front end: slash commands in, one JSON event per line out, until /quit or end of input.
using System.Threading.Channels;
using P2PChat.Peer.Commands;
using P2PChat.Peer.Events;
using P2PChat.Peer.Hosting;

namespace P2PChat.Peer.Headless;

/// <summary>
/// Reads one command per line from <c>input</c> and runs it; meanwhile writes every event as one JSON line to
/// <c>output</c>, flushing after each. End of input counts as /quit, and so does cancellation (Ctrl-C, SIGTERM).
/// <c>output</c> carries nothing but events; if it is closed, events are dropped and commands still run.
/// Input is read by a thread of its own (<see cref="StartReading"/>), never by a blocked pool thread, and a line
/// is handed to the command loop on that thread (no hop through the pool on the way to the command).
/// </summary>
public sealed class HeadlessLoop(TextReader input, TextWriter output, CommandDispatcher dispatcher, EventStream events,
    Action<ClientEvent>? observe = null)
{
    /// <param name="startup">what to do before reading input (connect, --login); it reports its own failures as events.</param>
    public async Task RunAsync(Func<CancellationToken, Task> startup, CancellationToken ct)
    {
        // The writer drains the stream until it is completed below, so the last events (disconnected) get out.
        var writer = Task.Run(WriteEventsAsync, CancellationToken.None);
        using var stopReading = new CancellationTokenSource();
        try
        {
            await startup(ct).ConfigureAwait(false);
            var lines = StartReading(stopReading.Token);
            while (true)
            {
                var line = await lines.WaitToReadAsync(ct).ConfigureAwait(false) && lines.TryRead(out var next) ? next : null;
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
            await stopReading.CancelAsync().ConfigureAwait(false);
            events.Complete();
            await writer.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Input lines, read ahead by a background thread until end of input (the channel completes) or
    /// <paramref name="stop"/>. Console.In blocks inside ReadLineAsync and ignores the token: that read is abandoned
    /// and ends with the process.
    /// </summary>
    private ChannelReader<string> StartReading(CancellationToken stop)
    {
        var lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions
        {
            SingleReader = true, SingleWriter = true, AllowSynchronousContinuations = true,
        });
        new Thread(() =>
        {
            try
            {
                while (input.ReadLineAsync(stop).AsTask().GetAwaiter().GetResult() is { } line) lines.Writer.TryWrite(line);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException) { }
            lines.Writer.TryComplete();
        })
        { IsBackground = true, Name = "p2pchat headless input" }.Start();
        return lines.Reader;
    }

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

// Runs one command line: parse, find the command, bind its arguments, call the session; failures become error events.
using P2PChat.Peer.Session;
using P2PChat.Peer.Events;

namespace P2PChat.Peer.Commands;

/// <summary>
/// A line is <c>/name arguments</c>. Whatever goes wrong (unknown command, wrong arguments, not signed in,
/// connection refused) is published as an <see cref="ErrorEvent"/> and the caller carries on.
/// </summary>
public sealed class CommandDispatcher(IChatSession session, IEventSink events, CommandRegistry? registry = null)
{
    private readonly CommandContext _context = new(session, events, registry ?? CommandRegistry.Default);

    /// <summary>Runs <paramref name="line"/>; false when it was a command that stops the peer (/quit).</summary>
    public async Task<bool> RunAsync(string line, CancellationToken ct)
    {
        line = line.Trim();
        if (line.Length == 0) return true;
        var name = line.Split([' ', '\t'], 2)[0];
        var argsText = line[name.Length..];
        name = name.TrimStart('/').ToLowerInvariant();
        try
        {
            if (!line.StartsWith('/'))
                throw new CommandFailedException(PeerErrorCode.UnknownCommand, "commands start with '/'; /help lists them");
            var spec = _context.Registry.Find(name)
                ?? throw new CommandFailedException(PeerErrorCode.UnknownCommand, $"no command /{name}; /help lists them");
            var args = CommandArgs.Bind(spec, argsText);
            await spec.Run(_context, args, ct).ConfigureAwait(false);
            return !spec.Quits;
        }
        catch (CommandFailedException e)
        {
            events.Publish(new ErrorEvent(e.Code, e.Message, name));
            return true;
        }
    }
}

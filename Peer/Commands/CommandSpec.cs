// What a slash command looks like: its name, parameters and one line of help (read by /help and Tab completion).
using P2PChat.Peer.Session;
using P2PChat.Peer.Events;

namespace P2PChat.Peer.Commands;

/// <summary>What a command does with the session, given its bound arguments.</summary>
public delegate Task CommandAction(CommandContext context, CommandArgs args, CancellationToken ct);

/// <summary>Everything a command can use.</summary>
public sealed record CommandContext(IChatSession Session, IEventSink Events, CommandRegistry Registry);

/// <param name="Quits">the peer stops after this command.</param>
public sealed record CommandSpec(string Name, IReadOnlyList<Param> Params, string Help, CommandAction Run, bool Quits = false)
{
    /// <summary>"/msg USER|#CHANNEL TEXT".</summary>
    public string Usage => Params.Count == 0 ? "/" + Name : $"/{Name} {string.Join(' ', Params.Select(p => p.Usage))}";
}

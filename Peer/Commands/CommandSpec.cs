// What a slash command looks like: its name, parameters and one line of help (read by /help and Tab completion).
using P2PChat.Peer.Client;

namespace P2PChat.Peer.Commands;

public enum ParamKind
{
    /// <summary>One word (quotes allowed).</summary>
    Word,
    /// <summary>One word or nothing.</summary>
    OptionalWord,
    /// <summary>The rest of the line, verbatim; at least one character.</summary>
    Text,
    /// <summary>The rest of the line, verbatim, possibly empty.</summary>
    OptionalText,
    /// <summary>Any number of key=value words.</summary>
    Pairs,
}

/// <param name="Name">as shown in the usage; a name starting with '#' requires a channel ("#name").</param>
/// <param name="Choices">when given, the only words allowed.</param>
public sealed record Param(string Name, ParamKind Kind, IReadOnlyList<string>? Choices = null)
{
    public bool IsChannel => Name.StartsWith('#');

    public string Usage
    {
        get
        {
            var shown = Choices is { Count: > 0 } ? string.Join('|', Choices) : Name;
            return Kind switch
            {
                ParamKind.OptionalWord or ParamKind.OptionalText => $"[{shown}]",
                ParamKind.Pairs => $"[{shown}...]",
                _ => shown,
            };
        }
    }
}

/// <summary>What a command does with the client, given its bound arguments.</summary>
public delegate Task CommandAction(CommandContext context, CommandArgs args, CancellationToken ct);

/// <summary>Everything a command can use.</summary>
public sealed record CommandContext(IChatClient Client, IEventSink Events, CommandRegistry Registry);

/// <param name="Quits">the peer stops after this command.</param>
public sealed record CommandSpec(string Name, IReadOnlyList<Param> Params, string Help, CommandAction Run, bool Quits = false)
{
    /// <summary>"/msg USER|#CHANNEL TEXT".</summary>
    public string Usage => Params.Count == 0 ? "/" + Name : $"/{Name} {string.Join(' ', Params.Select(p => p.Usage))}";
}

// One parameter of a slash command: its name as shown in the usage, its kind and the words it allows.
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

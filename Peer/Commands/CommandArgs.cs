// The arguments of one command line bound to its parameters, and the binding itself (validated, no I/O).
using P2PChat.Peer.Events;

namespace P2PChat.Peer.Commands;

public sealed class CommandArgs
{
    private readonly Dictionary<string, string> _values;

    private CommandArgs(Dictionary<string, string> values, IReadOnlyList<string> pairs)
    {
        _values = values;
        Pairs = pairs;
    }

    /// <summary>The key=value words of a <see cref="ParamKind.Pairs"/> parameter.</summary>
    public IReadOnlyList<string> Pairs { get; }

    /// <summary>A required parameter's value.</summary>
    public string this[string param] => _values[param];

    /// <summary>An optional parameter's value, or null when it was left out.</summary>
    public string? Optional(string param) => _values.GetValueOrDefault(param);

    /// <summary>Binds <paramref name="text"/> (what follows the command name) to <paramref name="spec"/>'s parameters.</summary>
    /// <exception cref="CommandFailedException">missing, extra or invalid arguments; the message gives the usage.</exception>
    public static CommandArgs Bind(CommandSpec spec, string text)
    {
        var reader = new ArgumentReader(text);
        var values = new Dictionary<string, string>();
        var pairs = new List<string>();
        foreach (var p in spec.Params)
        {
            string? value = p.Kind switch
            {
                ParamKind.Word or ParamKind.OptionalWord => reader.NextWord(),
                ParamKind.Text or ParamKind.OptionalText => reader.Rest() is { Length: > 0 } rest ? rest : null,
                _ => null,
            };
            if (p.Kind == ParamKind.Pairs)
            {
                while (reader.NextWord() is { } pair)
                    pairs.Add(pair.Contains('=') ? pair : throw Bad(spec, $"'{pair}' is not key=value"));
                continue;
            }
            if (value is null)
            {
                if (p.Kind is ParamKind.Word or ParamKind.Text) throw Bad(spec, $"{p.Name} is missing");
                continue;
            }
            if (p.Choices is { Count: > 0 } choices && !choices.Contains(value, StringComparer.OrdinalIgnoreCase))
                throw Bad(spec, $"{p.Name} must be one of {string.Join(", ", choices)}, not '{value}'");
            if (p.IsChannel && (!value.StartsWith('#') || value.Length < 2))
                throw Bad(spec, $"'{value}' is not a channel: channels are written #name");
            values[p.Name] = p.Choices is null ? value : value.ToLowerInvariant();
        }
        if (!reader.AtEnd) throw Bad(spec, $"too many arguments: '{reader.Rest()}'");
        return new CommandArgs(values, pairs);
    }

    private static CommandFailedException Bad(CommandSpec spec, string why) =>
        new(PeerErrorCode.BadArguments, $"{why}; usage: {spec.Usage}");
}

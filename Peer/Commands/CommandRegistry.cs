// The set of slash commands by name: lookup for the dispatcher, the list for /help and Tab completion.
namespace P2PChat.Peer.Commands;

public sealed class CommandRegistry
{
    private readonly Dictionary<string, CommandSpec> _byName;

    public CommandRegistry(IEnumerable<CommandSpec> commands)
    {
        All = [.. commands.OrderBy(c => c.Name, StringComparer.Ordinal)];
        _byName = All.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Every command the peer knows (see <see cref="BuiltInCommands"/>).</summary>
    public static CommandRegistry Default { get; } = new(BuiltInCommands.All);

    /// <summary>Every command, by name.</summary>
    public IReadOnlyList<CommandSpec> All { get; }

    /// <param name="name">with or without the leading '/'.</param>
    public CommandSpec? Find(string name) => _byName.GetValueOrDefault(name.TrimStart('/'));

    /// <summary>Names starting with <paramref name="prefix"/> (with or without '/'), for Tab completion.</summary>
    public IReadOnlyList<string> Complete(string prefix)
    {
        prefix = prefix.TrimStart('/');
        return [.. All.Where(c => c.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).Select(c => c.Name)];
    }
}

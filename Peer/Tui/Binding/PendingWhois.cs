// Users the TUI asked /whois about and whose answer has not arrived yet; shared by the submit path and the binder.
namespace P2PChat.Peer.Tui.Binding;

/// <summary>
/// The client answers /whois with an ordinary <c>UserEvent</c>; this set is how the binder tells that answer
/// from a routine update. <see cref="Observe"/> runs on the submit path before the command is dispatched (the
/// answer may be published before the command returns); <see cref="TryTake"/> runs on the binder's thread.
/// Names compare case-insensitively; a leading '@' is ignored. Thread-safe.
/// </summary>
public sealed class PendingWhois
{
    private readonly HashSet<string> _users = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();

    /// <summary>Remembers the user of a "/whois USER" line; other lines are ignored. True when it was one.</summary>
    public bool Observe(string line)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !string.Equals(parts[0], "/whois", StringComparison.OrdinalIgnoreCase)) return false;
        var user = parts[1].TrimStart('@');
        if (user.Length == 0) return false;
        lock (_gate) _users.Add(user);
        return true;
    }

    /// <summary>True (and forgotten) when a /whois for <paramref name="user"/> was waiting for its answer.</summary>
    public bool TryTake(string user)
    {
        lock (_gate) return _users.Remove(user);
    }

    /// <summary>Forgets every waiting /whois (the server said no: the answer will not come).</summary>
    public void Clear()
    {
        lock (_gate) _users.Clear();
    }
}

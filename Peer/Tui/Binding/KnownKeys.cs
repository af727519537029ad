// What the binder has learned about contacts' identity keys from e2e events, for the /whois answer.
using P2PChat.Peer.Events;

namespace P2PChat.Peer.Tui.Binding;

/// <summary>
/// Sources: <see cref="ContactKeyEvent"/> (/safety, /trust, /verify: status and fingerprint),
/// <see cref="KeyChangedEvent"/> (status "changed", the new fingerprint) and e2e <see cref="MessageEvent"/>s
/// (status only; a fingerprint already known is kept). Not thread-safe: the binder's thread only.
/// </summary>
public sealed class KnownKeys
{
    private readonly Dictionary<string, (string Status, string? Fingerprint)> _keys = new(StringComparer.OrdinalIgnoreCase);

    public void Observe(ClientEvent e)
    {
        switch (e)
        {
            case ContactKeyEvent c: _keys[c.User] = (c.Status, c.Fingerprint); break;
            case KeyChangedEvent k: _keys[k.User] = ("changed", k.NewFingerprint); break;
            case MessageEvent { KeyStatus: { } status } m:
                _keys[m.From] = (status, _keys.TryGetValue(m.From, out var known) ? known.Fingerprint : null);
                break;
        }
    }

    /// <summary>The key status and fingerprint (null when not seen) of <paramref name="user"/>, or null when nothing is known.</summary>
    public (string Status, string? Fingerprint)? Of(string user) => _keys.TryGetValue(user, out var key) ? key : null;
}

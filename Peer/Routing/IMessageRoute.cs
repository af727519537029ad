// One way a message can reach a contact (today: through the server; the direct-links work adds a direct link).
using P2PChat.Core.Protocol;

namespace P2PChat.Peer.Routing;

/// <summary>
/// A route carries a <see cref="ContactMessage"/> that is already encrypted for the contact; it never encrypts or
/// holds anything itself. <see cref="MessageRouter"/> offers each message to its routes in order: the first that
/// takes it (true) has it. A route that cannot carry it now (no live link) says false and the next is tried; a route
/// that fails for good throws <c>CommandFailedException</c>. The last route (<see cref="ServerRoute"/>) always takes it.
/// </summary>
public interface IMessageRoute
{
    /// <summary>The name front ends see (the message event's "via"): "server", later "direct".</summary>
    string Name { get; }

    /// <summary>Sends <paramref name="message"/> if this route can carry it now.</summary>
    ValueTask<bool> TrySendAsync(ContactMessage message, CancellationToken ct);

    /// <summary>Whether this route could carry a message to <paramref name="to"/> right now without the server (a live
    /// direct link), so a PM may be sent while the server is unreachable.</summary>
    bool IsLive(Tag to) => false;
}

/// <summary>
/// A message for one contact, ready to go. Body: the end-to-end envelope when <paramref name="Encrypted"/>, else UTF-8
/// text (a peer without end-to-end encryption, only for tests of other layers). Control: a key distribution, not shown
/// and not reported with a sent event.
/// </summary>
public sealed record ContactMessage(Tag To, string ToName, byte[] Body, bool Encrypted, bool Control);

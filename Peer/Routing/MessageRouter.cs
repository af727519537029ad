// The one place a message to a contact goes through: encrypted for the contact once, then handed to the first route that takes it.
using System.Text;
using P2PChat.Core.Crypto;
using P2PChat.Core.Payloads;
using P2PChat.Core.Protocol;
using P2PChat.Peer.E2e;
using P2PChat.Peer.Events;
using P2PChat.Peer.Server;

namespace P2PChat.Peer.Routing;

/// <summary>
/// A PM payload (<see cref="PmPayload"/>) for a contact is encrypted with the pairwise session (a new one from the
/// contact's bundle, fetched through the server, when there is none); a contact whose key changed gets nothing (the
/// payload is held until /trust or /verify). The envelope is then offered to the routes in order
/// (<see cref="IMessageRoute"/>); today the only route is the server. The direct-links work inserts its route before
/// the server's: tried first, falling back to the server (docs/architecture.md, "Adding a route").
/// Without end-to-end encryption (no profile folder, tests of other layers) a text PM goes as plain UTF-8.
/// </summary>
public sealed class MessageRouter(ServerConnection server, EndToEnd e2e, IReadOnlyList<IMessageRoute> routes)
{
    private IReadOnlyList<IMessageRoute> _routes = [.. routes];

    /// <summary>The router with the server as its only route.</summary>
    public MessageRouter(ServerConnection server, EndToEnd e2e) : this(server, e2e, [new ServerRoute(server)]) { }

    /// <summary>The routes in the order they are tried.</summary>
    public IReadOnlyList<IMessageRoute> Routes => Volatile.Read(ref _routes);

    /// <summary>Adds a route tried before all others (the direct-link route, at composition time in Peer/Hosting).</summary>
    public void AddFirst(IMessageRoute route)
    {
        IReadOnlyList<IMessageRoute> before, after;
        do
        {
            before = Volatile.Read(ref _routes);
            after = [route, .. before];
        }
        while (Interlocked.CompareExchange(ref _routes, after, before) != before);
    }

    /// <summary>A text PM to <paramref name="to"/>.</summary>
    public async Task SendTextAsync(Tag to, string text, CancellationToken ct)
    {
        if (!e2e.Enabled)
        {
            await RouteAsync(new ContactMessage(to, server.Directory.NameOf(to), Encoding.UTF8.GetBytes(text), Encrypted: false, Control: false), ct)
                .ConfigureAwait(false);
            return;
        }
        await SendPayloadAsync(to, PmPayload.EncodeText(text), control: false, ct).ConfigureAwait(false);
    }

    /// <summary>Encrypts a PM payload for <paramref name="to"/> and routes it; false when it was held (key changed).</summary>
    public async Task<bool> SendPayloadAsync(Tag to, byte[] payload, bool control, CancellationToken ct)
    {
        if (await EncryptAsync(to, payload, ct).ConfigureAwait(false) is not { } envelope) return false;
        await RouteAsync(new ContactMessage(to, server.Directory.NameOf(to), envelope, Encrypted: true, control), ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>The envelope of a PM payload for <paramref name="to"/> (fetching a bundle for a new session); null when held (key changed).</summary>
    public async Task<byte[]?> EncryptAsync(Tag to, byte[] payload, CancellationToken ct)
    {
        var name = server.Directory.NameOf(to);
        var plan = Guarded(() => e2e.Pairwise.Encrypt(name, payload));
        if (plan is SendPlan.NeedsBundle)
        {
            var bundle = await server.FetchBundleAsync(to, ct).ConfigureAwait(false);
            plan = Guarded(() => e2e.Pairwise.EncryptWithBundle(name, bundle, payload));
        }
        return plan is SendPlan.Envelope envelope ? envelope.Bytes : null; // held: a message_held event says so
    }

    private async Task RouteAsync(ContactMessage message, CancellationToken ct)
    {
        foreach (var route in Routes)
            if (await route.TrySendAsync(message, ct).ConfigureAwait(false)) return;
        throw new CommandFailedException(PeerErrorCode.NotConnected, $"no route to {message.ToName}");
    }

    /// <summary>A damaged key file (or any other refusal of the crypto layer) fails the command; nothing is sent.</summary>
    public static T Guarded<T>(Func<T> step)
    {
        try { return step(); }
        catch (CryptoProtocolException e)
        {
            throw new CommandFailedException(PeerErrorCode.E2eUnavailable, $"end-to-end encryption failed ({e.Reason}: {e.Message}); nothing was sent");
        }
    }
}

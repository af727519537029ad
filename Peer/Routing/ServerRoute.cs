// The route through the rendezvous server: MSG, stored offline by the server when the contact is away.
using P2PChat.Core.Protocol.Frames;
using P2PChat.Peer.Server;

namespace P2PChat.Peer.Routing;

/// <summary>Always takes the message (it is the last route); the server's MSG_ACK becomes the sent event.</summary>
public sealed class ServerRoute(ServerConnection server) : IMessageRoute
{
    public string Name => "server";

    public async ValueTask<bool> TrySendAsync(ContactMessage message, CancellationToken ct)
    {
        await server.SendMessageAsync(message.To, message.Body, message.Encrypted ? MessageFlags.Encrypted : MessageFlags.None,
            message.Control, ct).ConfigureAwait(false);
        return true;
    }
}

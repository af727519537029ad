// What the peer does before reading any input: connect, then sign in with --login (registering first if asked).
using P2PChat.Peer.Session;
using P2PChat.Peer.Events;

namespace P2PChat.Peer.Hosting;

public static class PeerStartup
{
    /// <summary>Never throws for a refused step: failures become error events (command "connect" or "login").</summary>
    public static async Task RunAsync(ChatSession client, IEventSink events, PeerSettings settings, CancellationToken ct)
    {
        var step = "connect";
        try
        {
            await client.ConnectAsync(ct).ConfigureAwait(false);
            if (settings.Login is not { } user) return;
            step = "login";
            await client.SignInAsync(user, settings.Password ?? "", settings.RegisterIfMissing, ct).ConfigureAwait(false);
        }
        catch (CommandFailedException e)
        {
            events.Publish(new ErrorEvent(e.Code, e.Message, step));
        }
    }
}

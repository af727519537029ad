// Runs p2pchat --headless: slash commands on stdin, JSON events on stdout, diagnostics on stderr.
using P2PChat.Peer.Hosting;
using P2PChat.Peer.Profile;

namespace P2PChat.Peer.Headless;

public static class HeadlessFrontEnd
{
    public static async Task<int> RunAsync(PeerSettings settings, CancellationToken ct)
    {
        await using var session = PeerSession.Open(settings);
        var loop = new HeadlessLoop(Console.In, Console.Out, session.Commands(), session.Events, new ProfileRecorder(session.Profile).Observe);
        Console.Error.WriteLine($"p2pchat: server {settings.Server}, profile {settings.ProfileFolder}");
        await loop.RunAsync(session.StartAsync, ct);
        return 0;
    }
}

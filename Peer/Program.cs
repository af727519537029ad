// Entry point of p2pchat: parses the command line and runs the headless peer (the TUI will plug in here).
using P2PChat.Peer;
using P2PChat.Peer.Client;
using P2PChat.Peer.Commands;
using P2PChat.Peer.Headless;
using P2PChat.Peer.Profile;

return await PeerCommandLine.Build(RunAsync).Parse(args).InvokeAsync();

static async Task<int> RunAsync(PeerSettings settings, CancellationToken ct)
{
    if (!settings.Headless) Console.Error.WriteLine("p2pchat: the terminal UI is not here yet; running headless (commands on stdin, JSON events on stdout)");
    var store = new ProfileStore(settings.ProfileFolder);
    var profile = store.Load();
    var events = new EventStream();
    await using var client = new RendezvousClient(
        new RendezvousClientOptions(settings.Server) { Pin = new ServerPin(profile.ServerFingerprint, settings.ServerFingerprint), ProfileFolder = settings.ProfileFolder }, events);
    var dispatcher = new CommandDispatcher(client, events);
    var loop = new HeadlessLoop(Console.In, Console.Out, dispatcher, events, new ProfileRecorder(store).Observe);
    Console.Error.WriteLine($"p2pchat: server {settings.Server}, profile {settings.ProfileFolder}");
    await loop.RunAsync(startCt => PeerStartup.RunAsync(client, events, settings, startCt), ct);
    return 0;
}

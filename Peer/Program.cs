// Entry point of p2pchat: parses the command line and runs the terminal UI, the headless peer or the TUI demo.
using P2PChat.Peer;
using P2PChat.Peer.Headless;
using P2PChat.Peer.Hosting;
using P2PChat.Peer.Tui.Binding;

JitLog.StartIfAsked();
return await PeerCommandLine.Build(RunAsync).Parse(args).InvokeAsync();

static Task<int> RunAsync(PeerSettings settings, CancellationToken ct) =>
    settings.Headless ? HeadlessFrontEnd.RunAsync(settings, ct) : TuiFrontEnd.RunAsync(settings, ct);

// What both front ends run on: the event stream, the history recorder in front of it, the client and the command layer.
using P2PChat.Peer.Client;
using P2PChat.Peer.Commands;
using P2PChat.Peer.Events;
using P2PChat.Peer.History;
using P2PChat.Core.Nat.PortMapping;
using P2PChat.Peer.Links;
using P2PChat.Peer.Nat;
using P2PChat.Peer.Profile;

namespace P2PChat.Peer.Hosting;

/// <summary>
/// Events flow client → <see cref="HistoryRecorder"/> (stores messages) → <see cref="EventStream"/> → the front end.
/// Commands publish straight to the stream. Disposing closes the connection and the history database.
/// </summary>
public sealed class PeerSession : IAsyncDisposable
{
    private PeerSession(PeerSettings settings, ServerAddress server)
    {
        Settings = settings;
        Profile = new ProfileStore(settings.ProfileFolder);
        History = HistoryStore.OpenInProfile(settings.ProfileFolder);
        Recorder = new HistoryRecorder(History, Events);
        Client = new RendezvousClient(
            new RendezvousClientOptions(server) { Pin = new ServerPin(Profile.Load().ServerFingerprint, settings.ServerFingerprint), ProfileFolder = settings.ProfileFolder, ResumptionTickets = true }, Recorder);
        Nat = new PeerNat(StunServerList.Choose(settings.Stun ?? [], server), settings.PortMapping, line => Console.Error.WriteLine("p2pchat: " + line))
        {
            MappingLifetime = settings.PortMappingLifetime ?? PortMapProber.DefaultLifetime,
            OnlyProtocol = settings.PortMappingProtocol,
        };
        Links = new PeerLinks(Client, Nat, Events, new DirectSettingFile(settings.ProfileFolder), log: line => Console.Error.WriteLine("p2pchat: " + line))
        {
            LoopbackOnly = settings.LoopbackLinksOnly,
        };
    }

    public PeerSettings Settings { get; }
    public ProfileStore Profile { get; }
    public EventStream Events { get; } = new();
    public HistoryStore History { get; }
    public HistoryRecorder Recorder { get; }
    public RendezvousClient Client { get; }
    /// <summary>/nat: discovery and the router port mapping (released when the session ends).</summary>
    public PeerNat Nat { get; }
    /// <summary>Direct links to contacts (introduction, relay, upgrade to direct; /links, /set direct).</summary>
    public PeerLinks Links { get; }

    /// <exception cref="ArgumentException">the settings name no server.</exception>
    public static PeerSession Open(PeerSettings settings) =>
        new(settings, settings.Server ?? throw new ArgumentException("no server to connect to", nameof(settings)));

    /// <summary>The built-in commands (plus <paramref name="extra"/>), with every sent message stored and passed to <paramref name="onSent"/>.</summary>
    public CommandDispatcher Commands(IEnumerable<CommandSpec>? extra = null, Action<string, string, bool>? onSent = null)
    {
        var registry = new CommandRegistry(SentMessageHook.Around(BuiltInCommands.All, (target, text) =>
        {
            var encrypted = IsEndToEnd(target);
            Recorder.RecordOwn(target, text, encrypted);
            onSent?.Invoke(target, text, encrypted);
        }).Concat(NatCommands.For(Nat)).Concat(LinkCommands.For(Links)).Concat(extra ?? []));
        return new CommandDispatcher(Client, Events, registry);
    }

    /// <summary>
    /// Whether a message to <paramref name="target"/> travels end-to-end encrypted: always to a user (the client
    /// never sends a PM in clear), to an invite-only channel (sender keys), never to the general or an open channel.
    /// </summary>
    public bool IsEndToEnd(string target) => !target.StartsWith('#')
        || Client.Directory.FindChannel(target) is { } channel && channel.Flags.HasFlag(Core.Protocol.Frames.ChannelFlags.InviteOnly);

    /// <summary>Connect, then sign in as the settings say; failures become error events.</summary>
    public Task StartAsync(CancellationToken ct)
    {
        if (History.SetAside is { } aside)
            Events.Publish(new ErrorEvent((int)PeerErrorCode.HistoryFailed,
                $"history.db was damaged ({History.SetAsideReason}); it was kept as {aside} and a new, empty history was started", null));
        return PeerStartup.RunAsync(Client, Events, Settings, ct);
    }

    public async ValueTask DisposeAsync()
    {
        await Links.DisposeAsync().ConfigureAwait(false);
        await Client.DisposeAsync().ConfigureAwait(false);
        await Nat.DisposeAsync().ConfigureAwait(false);
        History.Dispose();
    }
}

// What both front ends run on: the event stream, the history recorder in front of it, the chat session and the command layer.
using P2PChat.Peer.Server;
using P2PChat.Peer.Session;
using P2PChat.Peer.Commands;
using P2PChat.Peer.Events;
using P2PChat.Peer.History;
using P2PChat.Core.Nat;
using P2PChat.Core.Nat.PortMapping;
using P2PChat.Peer.Links;
using P2PChat.Peer.Nat;
using P2PChat.Peer.Profile;
using P2PChat.Peer.Files;
using P2PChat.Core.Links;
using P2PChat.Peer.Rooms;

namespace P2PChat.Peer.Hosting;

/// <summary>
/// Events flow server connection → <see cref="HistoryRecorder"/> (stores messages) → <see cref="EventStream"/> → the front end.
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
        Chat = new ChatSession(
            new ServerConnectionOptions(server) { Pin = new ServerPin(Profile.Load().ServerFingerprint, settings.ServerFingerprint), ResumptionTickets = true },
            new ContactOnlineTap(Recorder, user =>
            {
                Files?.ContactOnline(user);
                if (user is null && Rooms is { } rooms) _ = Task.Run(rooms.Resume); // signed in: rejoin the rooms saved before a restart
            }), settings.ProfileFolder);
        Nat = new PeerNat(StunServerList.Choose(settings.Stun ?? [], server), settings.PortMapping, line => Console.Error.WriteLine("p2pchat: " + line))
        {
            MappingLifetime = settings.PortMappingLifetime ?? PortMapProber.DefaultLifetime,
            OnlyProtocol = settings.PortMappingProtocol,
        };
        Links = new PeerLinks(Chat.Server, Chat.EndToEnd, Nat, Events, new DirectSettingFile(settings.ProfileFolder), log: line => Console.Error.WriteLine("p2pchat: " + line))
        {
            LoopbackOnly = settings.LoopbackLinksOnly,
            TcpPaths = settings.TcpLinks,
        };
        if (settings.DirectLinks)
        {
            DirectRoute = new DirectRoute(Links, Chat.Server, Chat.Hooks, Recorder);
            Chat.Router.AddFirst(DirectRoute);
        }
        var roomStore = new RoomStore(new SealedRoomFiles(Chat.EndToEnd.Keys));
        Rooms = new RoomService(() => Chat.IsSignedIn && Chat.EndToEnd.Keys.LinkIdentity is { } identity
            ? new RoomContext(Chat.Me, identity, Links, TimeProvider.System, Recorder, Chat.Directory.NameOf) { Store = roomStore, Reach = RoomReachFacts, Log = line => Console.Error.WriteLine($"p2pchat: {DateTime.UtcNow:HH:mm:ss.fff} {line}") }
            : null);
        Rooms.Attach(Links);
        Chat.BeforeQuit = _ => StopPeerToPeerAsync();
        // Room invitations travel through the server, end-to-end encrypted like a PM (docs/rooms.md).
        Rooms.InviteThroughServer = (to, payload, ct) => Chat.Router.SendPayloadAsync(to, payload, control: true, ct);
        Chat.EndToEnd.ForeignControl = (from, payload) =>
        {
            if (Chat.Directory.FindUser(from) is { } user) Rooms.OnServerPayload(user.Tag, payload);
        };
        Files = new FileTransfers(Links, new FileTransferOptions(Path.Combine(Settings.ProfileFolder, "transfers"), Settings.DownloadFolderOrDefault) { SendRate = Settings.FileSendRate },
            Events, user => Chat.Directory.FindUser(user)?.Tag, tag => Chat.Directory.User(tag)?.Username);
        Files.Start();
    }

    /// <summary>What rooms report of this peer's reachability (the automatic host proposal ranks by it).</summary>
    private Core.Rooms.ReachFacts RoomReachFacts() => new(
        AddressPrivate: Links.Direct == Core.Protocol.Frames.DirectSetting.Nobody,
        NoNat: Nat.Behaviour == MappingBehaviour.NoNat,
        MappedPort: Nat.Mapping is not null,
        EndpointIndependent: Nat.Behaviour == MappingBehaviour.EndpointIndependent);

    /// <summary>Private rooms (/room ..., /rooms, /msg &amp;ROOM, games) over the contact links, signed with the account's identity key.</summary>
    public RoomService Rooms { get; }

    public PeerSettings Settings { get; }
    public ProfileStore Profile { get; }
    public EventStream Events { get; } = new();
    public HistoryStore History { get; }
    public HistoryRecorder Recorder { get; }
    /// <summary>The one facade commands call: the server connection, end-to-end encryption and the message router.</summary>
    public ChatSession Chat { get; }
    /// <summary>/nat: discovery and the router port mapping (released when the session ends).</summary>
    public PeerNat Nat { get; }
    /// <summary>/send, /accept…: file transfer over the contact links (saved transfers resume once contacts are reachable).</summary>
    public FileTransfers Files { get; }
    /// <summary>Direct links to contacts (introduction, relay, upgrade to direct; /links, /set direct).</summary>
    public PeerLinks Links { get; }
    /// <summary>PMs over links, tried before the server (null with the hidden --no-direct-pms, for baselines).</summary>
    public DirectRoute? DirectRoute { get; }

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
        }).Concat(NatCommands.For(Nat)).Concat(LinkCommands.For(Links)).Concat(FileCommands.For(Files))
          .Concat(RoomCommands.For(Rooms, Chat.Server.ResolveUserAsync)).Concat(extra ?? []));
        registry = new CommandRegistry(RoomCommands.WithRoomMessages(registry.All, Rooms));
        return new CommandDispatcher(Chat, Events, registry);
    }

    /// <inheritdoc cref="ChatSession.IsEndToEnd"/>
    public bool IsEndToEnd(string target) => Chat.IsEndToEnd(target);

    /// <summary>Connect, then sign in as the settings say; failures become error events.</summary>
    public Task StartAsync(CancellationToken ct)
    {
        if (History.SetAside is { } aside)
            Events.Publish(new ErrorEvent((int)PeerErrorCode.HistoryFailed,
                $"history.db was damaged ({History.SetAsideReason}); it was kept as {aside} and a new, empty history was started", null));
        return PeerStartup.RunAsync(Chat, Events, Settings, ct);
    }

    public async ValueTask DisposeAsync()
    {
        await StopPeerToPeerAsync().ConfigureAwait(false);
        await Chat.DisposeAsync().ConfigureAwait(false);
        await Nat.DisposeAsync().ConfigureAwait(false);
        History.Dispose();
    }

    private readonly Lock _stopGate = new();
    private Task? _peerToPeerStopped;

    /// <summary>
    /// Ends files, rooms and the links under them, once: on /quit before QUIT reaches the server (so the relay still
    /// carries the links' CLOSEs and the peers see the links end at once), else on dispose.
    /// </summary>
    private Task StopPeerToPeerAsync()
    {
        lock (_stopGate) return _peerToPeerStopped ??= StopAsync();

        async Task StopAsync()
        {
            await Files.DisposeAsync().ConfigureAwait(false);
            await Rooms.DisposeAsync().ConfigureAwait(false);
            DirectRoute?.Dispose();
            await Links.DisposeAsync().ConfigureAwait(false);
        }
    }
}

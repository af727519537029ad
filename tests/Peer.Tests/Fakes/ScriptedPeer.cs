// A real ChatSession (server connection and end-to-end encryption) with its own profile folder, signed in to a FakeServer that the test plays (the hostile server).
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Peer.Server;
using P2PChat.Peer.Session;
using P2PChat.Peer.Events;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Peer.Tests.Fakes;

/// <summary>
/// After <see cref="SignInAsync"/> the peer has made its identity and sent IDENTITY and PREKEYS, which are kept here
/// (<see cref="Identity"/>, <see cref="SignedPrekey"/>, <see cref="OneTimePrekeys"/>) for the test to serve or tamper with.
/// </summary>
public sealed class ScriptedPeer : IAsyncDisposable
{
    private ulong _nextMessageId = 1;

    private ScriptedPeer(string name, Tag tag, ChatSession client, ListEventSink events, TempDirectory profile)
    {
        Name = name;
        Tag = tag;
        Client = client;
        Events = events;
        Profile = profile;
    }

    public string Name { get; }
    public Tag Tag { get; }
    public ChatSession Client { get; }
    public ListEventSink Events { get; }
    public TempDirectory Profile { get; }
    public FakeSession Session { get; private set; } = null!;
    public byte[] Identity { get; private set; } = [];
    public byte[] SignedPrekey { get; private set; } = [];
    public Queue<byte[]> OneTimePrekeys { get; } = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static ScriptedPeer Create(FakeServer server, string name, Tag tag, TempDirectory? profile = null)
    {
        var events = new ListEventSink();
        profile ??= new TempDirectory("p2pchat-peer-e2e");
        var client = new ChatSession(new ServerConnectionOptions(new ServerAddress("127.0.0.1", server.Port))
        {
            Connector = server.Connector,
        }, events, profile.Path);
        return new ScriptedPeer(name, tag, client, events, profile);
    }

    /// <summary>Connects and signs in; the burst announces <paramref name="others"/> (with their keys as given).</summary>
    public async Task SignInAsync(FakeServer server, string password, params AddUser[] others)
    {
        Session = await server.ConnectAsync(Client, heartbeatMs: 0, serverName: "hostile");
        var login = Client.LoginAsync(Name, password, Ct);
        await Session.ReadAsync<Iam>();
        await Session.SendAsync([
            new IamOk(Tag, false, 0, Name),
            Describe(Identity),
            .. others,
            new Status(StatusCode.AuthOk, Opcode.Iam, Tag, 0, ""),
        ]);
        await login;
        var frame = await Session.ReadAnyAsync();
        if (frame is IdentityChange change)
        {
            Identity = change.IdentityKey;
            frame = await Session.ReadAnyAsync();
        }
        var prekeys = Assert.IsType<Prekeys>(frame);
        SignedPrekey = prekeys.SignedPrekey;
        foreach (var key in prekeys.OneTimePrekeys) OneTimePrekeys.Enqueue(key);
    }

    /// <summary>ADD for this peer as the server would send it, with <paramref name="identity"/> (default: its real key).</summary>
    public AddUser Describe(byte[]? identity = null) => new(Tag, Name, Name, Presence.Online, "", UserFlags.None, identity ?? Identity);

    /// <summary>The bundle an honest server would hand out (taking one one-time prekey).</summary>
    public Bundle HonestBundle() => new(Tag, Identity, SignedPrekey, OneTimePrekeys.Count > 0 ? OneTimePrekeys.Dequeue() : []);

    /// <summary>Delivers a MSG to this peer and returns what came of it: a message event or a decrypt_failed event.</summary>
    public async Task<ClientEvent> DeliverAsync(Tag from, byte[] data, MessageFlags flags = MessageFlags.Encrypted, Tag? to = null)
    {
        var id = _nextMessageId++;
        await Session.SendAsync(new MsgDeliver(from, data, to ?? Tag, 0, flags, id));
        return await Events.WaitForAsync<ClientEvent>(e => e is MessageEvent m && m.MessageId == id || e is DecryptFailedEvent d && d.MessageId == id);
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        Profile.Dispose();
    }
}

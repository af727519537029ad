// The peer session's one facade for commands: owns the server connection, end-to-end encryption and the message router.
using System.Text;
using P2PChat.Core.Payloads;
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Peer.E2e;
using P2PChat.Peer.Events;
using P2PChat.Peer.Routing;
using P2PChat.Peer.Server;

namespace P2PChat.Peer.Session;

/// <summary>
/// Owns <see cref="EndToEnd"/> and plugs it into the <see cref="ServerConnection"/> (<see cref="EndToEndHooks"/>); a
/// PM goes through <see cref="Router"/> (the one place a message to a contact goes through). A PM goes out only
/// end-to-end encrypted when a profile folder is set; a contact whose key changed gets nothing until /trust or /verify,
/// then the held messages go out. Invite-only channels use sender keys (<see cref="SendGroupAsync"/>); the general
/// channel and open channels are not end-to-end encrypted. Everything else is a request to the server.
/// </summary>
public sealed class ChatSession : IChatSession, IAsyncDisposable
{
    /// <summary>The largest PM text when encrypted: the envelope adds at most 296 bytes and the payload kind 1.</summary>
    public const int MaxEncryptedTextBytes = ServerConnection.MaxMessageBytes - 512;

    private readonly IEventSink _events;

    /// <param name="profileFolder">where the end-to-end keys live sealed (keys/USER/); null: PMs go as plain text (only
    /// for tests of other layers; the p2pchat executable always sets it).</param>
    public ChatSession(ServerConnectionOptions options, IEventSink events, string? profileFolder)
    {
        _events = events;
        EndToEnd = new EndToEnd(events, options.Time, profileFolder);
        Hooks = new EndToEndHooks(EndToEnd, events, Delivered);
        Server = new ServerConnection(options, events, Hooks);
        Router = new MessageRouter(Server, EndToEnd);
    }

    public ServerConnection Server { get; }
    public EndToEnd EndToEnd { get; }
    /// <summary>How a message body becomes text (decryption); PMs that come over a direct link are read here too.</summary>
    public IServerHooks Hooks { get; }
    /// <summary>PM envelopes already received by any route: a fallback's second copy is dropped before decrypting.</summary>
    public DeliveredEnvelopes Delivered { get; } = new();
    public MessageRouter Router { get; }

    public ClientDirectory Directory => Server.Directory;
    public bool IsConnected => Server.IsConnected;
    public bool IsSignedIn => Server.IsSignedIn;
    public bool IsReconnecting => Server.IsReconnecting;
    public Tag Me => Server.Me;

    public Task ConnectAsync(CancellationToken ct) => Server.ConnectAsync(ct);
    public Task RegisterAsync(Register form, CancellationToken ct) => Server.RegisterAsync(form, ct);
    public Task LoginAsync(string username, string password, CancellationToken ct) => Server.LoginAsync(username, password, ct);
    /// <inheritdoc cref="ServerConnection.SignInAsync"/>
    public Task SignInAsync(string username, string password, bool registerIfMissing, CancellationToken ct) =>
        Server.SignInAsync(username, password, registerIfMissing, ct);
    public Task NickAsync(string nickname, CancellationToken ct) => Server.NickAsync(nickname, ct);
    public Task AwayAsync(string? text, CancellationToken ct) => Server.AwayAsync(text, ct);
    public Task CreateChannelAsync(string channel, bool inviteOnly, CancellationToken ct) => Server.CreateChannelAsync(channel, inviteOnly, ct);
    public Task JoinAsync(string channel, CancellationToken ct) => Server.JoinAsync(channel, ct);
    public Task InviteAsync(string username, string channel, CancellationToken ct) => Server.InviteAsync(username, channel, ct);
    public Task LeaveAsync(string channel, CancellationToken ct) => Server.LeaveAsync(channel, ct);
    public Task TopicAsync(string channel, string topic, CancellationToken ct) => Server.TopicAsync(channel, topic, ct);
    public Task WhoAsync(string channel, bool more, CancellationToken ct) => Server.WhoAsync(channel, more, ct);
    public Task WhoisAsync(string username, CancellationToken ct) => Server.WhoisAsync(username, ct);
    public Task FriendAsync(FriendAction action, string username, CancellationToken ct) => Server.FriendAsync(action, username, ct);
    public Task FriendsAsync(CancellationToken ct) => Server.FriendsAsync(ct);
    public Task IgnoreAsync(string username, bool on, CancellationToken ct) => Server.IgnoreAsync(username, on, ct);
    public Task BuzzAsync(string username, CancellationToken ct) => Server.BuzzAsync(username, ct);
    public Task KickAsync(string username, string? channel, CancellationToken ct) => Server.KickAsync(username, channel, ct);
    public Task BanAsync(string username, uint minutes, CancellationToken ct) => Server.BanAsync(username, minutes, ct);
    /// <summary>
    /// Runs before QUIT goes to the server: the host ends what travels over peer links there (files, rooms, the links
    /// themselves) while the server still relays the links' goodbyes.
    /// </summary>
    public Func<CancellationToken, Task>? BeforeQuit { get; set; }

    public async Task QuitAsync(CancellationToken ct)
    {
        if (BeforeQuit is { } before) await before(ct).ConfigureAwait(false);
        await Server.QuitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Whether a message to <paramref name="target"/> travels end-to-end encrypted: always to a user (a PM is never
    /// sent in clear), to an invite-only channel (sender keys), never to the general or an open channel.
    /// </summary>
    public bool IsEndToEnd(string target) => !target.StartsWith('#')
        || Directory.FindChannel(target) is { } channel && channel.Flags.HasFlag(ChannelFlags.InviteOnly);

    public async Task SendTextAsync(string target, string text, CancellationToken ct)
    {
        if (!Server.IsSignedIn && Directory.FindUser(target) is { } known && Router.Routes.Any(r => r.IsLive(known.Tag)))
        {
            // The server is unreachable but a live direct link to the contact is not: PMs keep flowing.
            if (EndToEnd.Enabled) CheckEncryptable(known.Tag, Encoding.UTF8.GetByteCount(text));
            await Router.SendTextAsync(known.Tag, text, ct).ConfigureAwait(false);
            return;
        }
        Server.RequireSignedIn();
        var data = Encoding.UTF8.GetBytes(text);
        if (data.Length > ServerConnection.MaxMessageBytes)
            throw new CommandFailedException(PeerErrorCode.BadArguments,
                $"a message is at most {ServerConnection.MaxMessageBytes} bytes; this one is {data.Length}");
        var to = await Server.ResolveAsync(target, ct).ConfigureAwait(false);
        if (to.IsUser)
        {
            if (EndToEnd.Enabled) CheckEncryptable(to, data.Length);
            await Router.SendTextAsync(to, text, ct).ConfigureAwait(false);
            return;
        }
        if (EndToEnd.Enabled && Directory.Channel(to)?.Flags.HasFlag(ChannelFlags.InviteOnly) == true)
        {
            await SendGroupAsync(to, text, ct).ConfigureAwait(false);
            return;
        }
        await Server.SendMessageAsync(to, data, MessageFlags.None, control: false, ct).ConfigureAwait(false);
    }

    private void CheckEncryptable(Tag to, int bytes)
    {
        if (bytes > MaxEncryptedTextBytes)
            throw new CommandFailedException(PeerErrorCode.BadArguments, $"an encrypted message is at most {MaxEncryptedTextBytes} bytes");
        if (to == Server.Me)
            throw new CommandFailedException(PeerErrorCode.BadArguments, "a private message to yourself has nobody to be encrypted for");
    }

    /// <summary>
    /// An invite-only channel: our sender key first goes (inside pairwise sessions) to each member who lacks it, all of
    /// them in MSG_MULTI frames that count as one command each for the server's flood rule, then the message goes once,
    /// as a sender-key message, to the channel. A member who cannot get the key is reported, not waited for. The channel
    /// lives on the server, so this fan-out goes there too rather than through the contact routes.
    /// </summary>
    private async Task SendGroupAsync(Tag channel, string text, CancellationToken ct)
    {
        if (Encoding.UTF8.GetByteCount(text) > MaxEncryptedTextBytes)
            throw new CommandFailedException(PeerErrorCode.BadArguments, $"an encrypted message is at most {MaxEncryptedTextBytes} bytes");
        await Server.JoinSettledAsync(channel, ct).ConfigureAwait(false); // right after /join, the member list may still be on its way
        var members = Directory.Members(channel).Where(m => m != Server.Me).ToDictionary(Directory.NameOf);
        var plan = MessageRouter.Guarded(() => EndToEnd.Groups.PrepareGroupSend(channel.Value, members.Keys));
        var parts = new List<MsgPart>();
        var given = new List<string>();
        foreach (var member in plan.NeedKey)
        {
            try
            {
                if (await Router.EncryptAsync(members[member], plan.DistributionPayload, ct).ConfigureAwait(false) is not { } envelope) continue;
                parts.Add(new MsgPart(members[member], envelope));
                given.Add(member);
            }
            catch (CommandFailedException e) when (e.Code == (int)PeerErrorCode.E2eUnavailable)
            {
                _events.Publish(new ErrorEvent(e.Code, $"{member} cannot read {Directory.NameOf(channel)}: {e.Message}", "msg"));
            }
        }
        await Server.SendMultiAsync(parts, MessageFlags.Encrypted, ct).ConfigureAwait(false);
        foreach (var member in given) EndToEnd.Groups.MarkGiven(channel.Value, member);
        var message = MessageRouter.Guarded(() => EndToEnd.Groups.EncryptGroup(channel.Value, text));
        await Server.SendMessageAsync(channel, message, MessageFlags.Encrypted, control: false, ct).ConfigureAwait(false);
    }

    public Task FingerprintAsync(CancellationToken ct)
    {
        Server.RequireSignedIn();
        _events.Publish(new FingerprintEvent(Server.Username, EndToEnd.Keys.Fingerprint()));
        return Task.CompletedTask;
    }

    public async Task SafetyAsync(string username, CancellationToken ct)
    {
        Server.RequireSignedIn();
        await Server.ResolveUserAsync(username, ct).ConfigureAwait(false); // learns the user's key (ADD) if not known yet
        _events.Publish(EndToEnd.Contacts.Safety(username));
    }

    public Task VerifyAsync(string username, string safetyNumber, CancellationToken ct)
    {
        Server.RequireSignedIn();
        return ReleaseAsync(username, MessageRouter.Guarded(() => EndToEnd.Contacts.Verify(username, safetyNumber)), ct);
    }

    public Task TrustAsync(string username, CancellationToken ct)
    {
        Server.RequireSignedIn();
        return ReleaseAsync(username, MessageRouter.Guarded(() => EndToEnd.Contacts.Trust(username)), ct);
    }

    /// <summary>Sends the messages held while the key was changed, in order, then reports the contact's key.</summary>
    private async Task ReleaseAsync(string username, IReadOnlyList<byte[]> held, CancellationToken ct)
    {
        if (held.Count > 0)
        {
            var to = await Server.ResolveUserAsync(username, ct).ConfigureAwait(false);
            foreach (var payload in held)
                await Router.SendPayloadAsync(to, payload, control: payload[0] != PmPayload.Text, ct).ConfigureAwait(false);
        }
        _events.Publish(EndToEnd.Contacts.Safety(username, held.Count));
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync().ConfigureAwait(false);
        EndToEnd.Dispose();
    }
}

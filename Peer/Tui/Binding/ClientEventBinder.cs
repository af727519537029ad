// Turns client events into view state: messages into their buffers, members, presence, notices, errors, the status bar.
using P2PChat.Peer.Events;
using P2PChat.Peer.History;
using P2PChat.Peer.Links;
using P2PChat.Peer.Nat;
using P2PChat.Peer.Rooms;
using P2PChat.Peer.Tui.Input;
using P2PChat.Peer.Tui.State;
using CorePresence = P2PChat.Core.Protocol.Presence;

namespace P2PChat.Peer.Tui.Binding;

/// <summary>
/// The TUI's reader of the <see cref="EventStream"/>. Buffers: a channel message goes to "#channel", a private
/// message to "@other" (<see cref="HistoryBuffers"/>). A channel buffer opens when I am a member (its member list
/// arrives, or I join) and says once that its messages are not end-to-end encrypted. Notices (joins, invites,
/// friend requests, /help, server news) and errors go to the buffer they concern, else the current one.
/// The answer to a /whois the user typed (<paramref name="whois"/>, filled by the submit path) becomes a notice
/// in the current buffer (<see cref="WhoisNotice"/>); other user events only update presence.
/// Not thread-safe: one reader calls <see cref="Apply"/> (the view state itself is thread-safe).
/// </summary>
public sealed class ClientEventBinder(ChatViewState state, PendingWhois? whois = null)
{
    private readonly KnownKeys _keys = new();
    private readonly FileNotices _files = new();
    private readonly FileTransferPanel _transfers = new();
    private readonly RoomEvents _rooms = new();
    private readonly Dictionary<string, MemberPresence> _presence = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _topics = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _toldEncryption = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _inviteOnly = new(StringComparer.OrdinalIgnoreCase);
    private string _me = "";
    private bool _signedIn;
    /// <summary>Set by the first reconnecting event after a loss; cleared (with a notice) when the link is back.</summary>
    private bool _reconnecting;

    /// <summary>Applies every event until the stream completes or <paramref name="ct"/> is cancelled.</summary>
    /// <param name="observe">sees each event first (profile recorder, log).</param>
    public async Task RunAsync(EventStream events, Action<ClientEvent>? observe, CancellationToken ct)
    {
        await foreach (var e in events.ReadAllAsync(ct).ConfigureAwait(false))
        {
            observe?.Invoke(e);
            Apply(e);
        }
    }

    public void Apply(ClientEvent e)
    {
        _keys.Observe(e);
        switch (e)
        {
            case ConnectedEvent c:
                state.SetConnection(ServerConnectionStatus.Connected, server: c.Server);
                state.Notice($"connected to {c.Server} (certificate {PinText(c.Pin)})", BufferIds.General);
                break;
            case DisconnectedEvent d:
                state.SetConnection(ServerConnectionStatus.Disconnected);
                state.Error($"disconnected: {d.Reason}{(d.Code is { } code ? $" (code {code})" : "")}; /connect and /login to come back");
                break;
            case ReconnectingEvent r: OnReconnecting(r); break;
            case RegisteredEvent r: state.Notice($"registered {r.User}"); break;
            case SignedInEvent s: OnSignedIn(s); break;
            case UserEvent u:
                SetPresence(u.User, u.Presence);
                if (whois?.TryTake(u.User) == true) state.Notice(WhoisNotice.Format(u, _keys.Of(u.User)));
                break;
            case PresenceEvent p: SetPresence(p.User, p.Presence); break;
            case ChannelEvent c: OnChannel(c); break;
            case MembersEvent m: OnMembers(m); break;
            case JoinedEvent j: OnJoined(j); break;
            case LeftEvent l: OnLeft(l); break;
            case MessageEvent m: OnMessage(m); break;
            // The status bar of a private buffer shows how PMs to that contact travel now (direct, relay, or the server).
            case LinkEvent { State: "up" } l when state.HasBuffer(BufferIds.ForPeer(l.Peer)): state.SetRoute(l.Peer, RouteOf(l.Route ?? "server")); break;
            case LinkEvent { State: "down" } l when state.HasBuffer(BufferIds.ForPeer(l.Peer)): state.SetRoute(l.Peer, PeerRoute.Server); break;
            case SentEvent { StoredOffline: true } s:
                state.Notice($"{s.To} is offline: the server keeps the message until they sign in", HistoryBuffers.ForTarget(s.To));
                break;
            case InviteEvent i: state.Notice($"{i.From} invites you to {i.Channel}: /join {i.Channel}"); break;
            case FriendRequestEvent f: state.Notice($"{f.From} wants to be your friend: /friend accept {f.From} or /friend refuse {f.From}"); break;
            case FriendUpdateEvent f: state.Notice($"friend {f.User}: {f.State}"); break;
            case FriendsEvent { Friends.Count: 0 } when !_signedIn: break; // the sign-in burst's empty list is no news
            case FriendsEvent f:
                state.Notice(f.Friends.Count == 0 ? "no friends yet: /friend add USER"
                    : "friends: " + string.Join(", ", f.Friends.Select(x => $"{x.User} ({x.Presence.ToString().ToLowerInvariant()})")));
                break;
            case BuzzEvent b: state.Buzz(b.From); break;
            case KickedEvent k:
                state.SetConnection(ServerConnectionStatus.Disconnected);
                state.Error($"{k.By} kicked you off the server: {k.Text}");
                break;
            case SignedOutElsewhereEvent s:
                state.SetConnection(ServerConnectionStatus.Disconnected);
                state.Error($"signed out: {s.Text}");
                break;
            case HelpEvent h:
                foreach (var entry in h.Commands) state.Notice($"{entry.Usage}  {entry.Help}");
                state.Notice(KeyMap.Summary);
                break;
            case StatusEvent s: state.Notice(s.Text); break;
            case NatEvent n:
                foreach (var line in NatNotice.Lines(n, state.Time.LocalTimeZone)) state.Notice(line);
                break;
            case KeyChangedEvent k:
                // Loud on purpose: in the contact's buffer and in the one being read, with a bell.
                state.Alarm($"SECURITY: {k.User}'s identity key changed ({k.OldFingerprint} -> {k.NewFingerprint}). {k.Text} " +
                            $"Messages to {k.User} are held until you check the safety number (/safety {k.User}) and /trust {k.User}.",
                    HistoryBuffers.ForTarget(k.User));
                if (state.CurrentBufferId != HistoryBuffers.ForTarget(k.User))
                    state.Error($"SECURITY: {k.User}'s identity key changed; see {HistoryBuffers.ForTarget(k.User)}");
                break;
            case MessageHeldEvent h: state.Error($"held, not sent: {h.Text} ({h.Held} waiting for /trust {h.To})", HistoryBuffers.ForTarget(h.To)); break;
            case DecryptFailedEvent d:
                state.Error($"a message from {d.From} could not be decrypted and was dropped: {d.Reason}", HistoryBuffers.ForTarget(d.From));
                break;
            case FingerprintEvent f: state.Notice($"your fingerprint ({f.User}): {f.Fingerprint}"); break;
            case ContactKeyEvent c:
                state.Notice($"{c.User}: key {c.Status}; safety number {c.SafetyNumber}" + (c.Released > 0 ? $"; {c.Released} held message(s) sent" : ""),
                    HistoryBuffers.ForTarget(c.User));
                break;
            case RoomInviteEvent or RoomJoinedEvent or RoomStateEvent or RoomHostEvent or RoomMemberEvent or RoomLeftEvent
                or RoomVoteEvent or RoomGameEvent or RoomsEvent:
                _rooms.Apply(state, e);
                break;
            case ErrorEvent { Command: "connect" } err:
                state.SetConnection(ServerConnectionStatus.Disconnected);
                state.Error($"/connect: {err.Text}");
                break;
            case ErrorEvent { Command: "whois" } err:
                whois?.Clear();
                state.Error($"/whois: {err.Text}");
                break;
            case ErrorEvent err: state.Error(err.Command is null ? err.Text : $"/{err.Command}: {err.Text}"); break;
            default:
                _transfers.Apply(state, e);
                if (_files.Describe(e) is { Text: { } text } file)
                    foreach (var line in text.Split('\n'))
                        if (file.Error) state.Error(line, file.Buffer); else state.Notice(line, file.Buffer);
                break;
        }
    }

    private static string PinText(PinOutcome pin) => pin switch
    {
        PinOutcome.FirstUse => "pinned on first use",
        PinOutcome.Replaced => "pin replaced",
        _ => "matches the pinned one",
    };

    private void OnReconnecting(ReconnectingEvent r)
    {
        var seconds = (long)Math.Ceiling(r.DelayMs / 1000.0);
        state.SetConnection(ServerConnectionStatus.Reconnecting, detail: $"attempt {r.Attempt}, in {seconds}s");
        if (_reconnecting) return;
        _reconnecting = true;
        state.Notice($"connection lost ({r.Reason}); reconnecting by itself", BufferIds.General);
    }

    private void OnSignedIn(SignedInEvent s)
    {
        if (_reconnecting) state.Notice("connection restored", BufferIds.General);
        _reconnecting = false;
        _me = s.User;
        _signedIn = true;
        state.SetMyNick(s.User);
        foreach (var buffer in state.BufferIdsInOrder())
            if (buffer.StartsWith('@')) state.SetRoute(buffer[1..], PeerRoute.Server); // until direct links exist
        state.SetConnection(ServerConnectionStatus.Connected, user: s.User);
        state.Notice($"signed in as {s.User}{(s.Admin ? " (admin)" : "")}; /help lists the commands", BufferIds.General);
        OpenChannel(BufferIds.General, switchTo: false);
    }

    private void OnChannel(ChannelEvent c)
    {
        _topics[c.Channel] = c.Topic;
        if (c.InviteOnly) _inviteOnly.Add(c.Channel); else _inviteOnly.Remove(c.Channel);
        if (state.HasBuffer(c.Channel)) state.SetTitle(c.Channel, c.Topic);
    }

    private void OnMembers(MembersEvent m)
    {
        // During the sign-in burst (before SignedIn names me) member lists come only for my channels.
        var mine = _me.Length == 0 || IsGeneral(m.Channel) || m.Members.Contains(_me, StringComparer.OrdinalIgnoreCase);
        if (!mine && !state.HasBuffer(m.Channel))
        {
            state.Notice($"{m.Channel}: {string.Join(", ", m.Members)}");
            return;
        }
        OpenChannel(m.Channel, switchTo: false);
        state.SetMembers(m.Channel, m.Members.Select(u => new Member(u, _presence.GetValueOrDefault(u, MemberPresence.Online))));
    }

    private void OnJoined(JoinedEvent j)
    {
        if (IsMe(j.User)) OpenChannel(j.Channel, switchTo: true);
        else state.SetMember(j.Channel, new Member(j.User, _presence.GetValueOrDefault(j.User, MemberPresence.Online)));
        state.Notice($"{j.User} joined {j.Channel}", j.Channel);
    }

    private void OnLeft(LeftEvent l)
    {
        var how = l.Kicked ? $"was kicked by {l.By}" : "left";
        if (IsMe(l.User))
        {
            state.SetMembers(l.Channel, []);
            state.Notice(l.Kicked ? $"you were kicked from {l.Channel} by {l.By}" : $"you left {l.Channel}; /close closes this buffer", l.Channel);
            return;
        }
        state.RemoveMember(l.Channel, l.User);
        if (state.HasBuffer(l.Channel)) state.Notice($"{l.User} {how}", l.Channel);
    }

    private void OnMessage(MessageEvent m)
    {
        var buffer = HistoryBuffers.ForMessage(m.From, m.To, _me);
        if (buffer.StartsWith('@')) state.SetRoute(buffer[1..], RouteOf(m.Route));
        else if (!state.HasBuffer(buffer)) OpenChannel(buffer, switchTo: false);
        state.AddMessage(buffer, m.From, m.Text, IsMe(m.From) ? MessageKind.Own : MessageKind.Normal, m.SentAt, m.E2e);
        if (m.KeyStatus == "changed")
            state.Error($"{m.From}'s key changed and is not trusted yet: this message may not be from them (/safety {m.From})", buffer);
    }

    private void OpenChannel(string channel, bool switchTo)
    {
        state.OpenBuffer(channel, switchTo);
        if (IsGeneral(channel)) state.SetTitle(channel, "everyone on the server");
        else if (_topics.TryGetValue(channel, out var topic)) state.SetTitle(channel, topic);
        if (_toldEncryption.Add(channel))
            state.Notice(_inviteOnly.Contains(channel)
                ? $"messages in {channel} are end-to-end encrypted (invite-only channel)"
                : $"messages in {channel} go through the server and are not end-to-end encrypted", channel);
    }

    private void SetPresence(string user, CorePresence presence)
    {
        var shown = presence switch { CorePresence.Online => MemberPresence.Online, CorePresence.Away => MemberPresence.Away, _ => MemberPresence.Offline };
        _presence[user] = shown;
        state.SetPresence(user, shown);
        if (shown != MemberPresence.Offline) state.SetMember(BufferIds.General, new Member(user, shown)); // general lists who is on
    }

    private bool IsMe(string user) => string.Equals(user, _me, StringComparison.OrdinalIgnoreCase);

    private static bool IsGeneral(string channel) => string.Equals(channel, BufferIds.General, StringComparison.OrdinalIgnoreCase);

    private static PeerRoute RouteOf(string route) => route switch
    {
        "direct" => PeerRoute.Direct,
        "relay" => PeerRoute.Relay,
        _ => PeerRoute.Server,
    };
}

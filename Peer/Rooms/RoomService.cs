// The peer's rooms: creates, joins and leaves them, takes incoming room streams and invitations, and runs the commands.
using P2PChat.Core.Links;
using P2PChat.Core.Payloads;
using P2PChat.Core.Protocol;
using P2PChat.Core.Rooms;

namespace P2PChat.Peer.Rooms;

/// <summary>
/// One <see cref="RoomPeer"/> per room we are in. Incoming streams of kind <see cref="PayloadKind.RoomStream"/> start
/// with Hello (a member for a room we host), State (a host offering its room) or Invite (an invitation, kept until
/// /room join). Invitations travel over a contact link to the invitee (direct or relayed by the server), end to end
/// secured by the link's Noise handshake.
/// </summary>
public sealed class RoomService : IAsyncDisposable
{
    private readonly Func<RoomContext?> _context;
    private readonly Dictionary<RoomId, RoomPeer> _rooms = [];
    private readonly Dictionary<RoomId, (SignedRoomState State, Tag From)> _invitations = [];
    private readonly Lock _gate = new();
    private readonly Lock _resuming = new();
    private readonly CancellationTokenSource _stop = new();
    private IDisposable? _registration;

    /// <param name="context">the room context once we are signed in (null before: room commands then fail).</param>
    public RoomService(Func<RoomContext?> context) => _context = context;

    /// <summary>
    /// When set, invitations go through the rendezvous server as an end-to-end encrypted control PM to the invitee
    /// (payload <c>0x39 | signed state</c>) instead of over the link; the link is still made first, to learn the
    /// invitee's proven identity key for the state.
    /// </summary>
    public Func<Tag, byte[], CancellationToken, Task>? InviteThroughServer { get; set; }

    /// <summary>A room control payload that came end-to-end encrypted through the server (an invitation).</summary>
    public void OnServerPayload(Tag from, byte[] payload)
    {
        var ctx = _context();
        if (ctx is null || payload.Length < 2 || payload[0] != (byte)PayloadKind.RoomInvite) return;
        SignedRoomState state;
        try { state = SignedRoomState.Decode(payload.AsSpan(1)); }
        catch (RoomProtocolException e)
        {
            ctx.Events.Publish(new Events.ErrorEvent(RoomErrors.Refused, $"refused an invitation from {ctx.NameOf(from)}: {e.Message}", "room"));
            return;
        }
        OnInvite(ctx, from, null, state);
    }

    /// <summary>Registers the room stream handler on <paramref name="links"/> (call once the links exist).</summary>
    public void Attach(IContactLinks links) => _registration = links.OnStream(PayloadKind.RoomStream, OnStreamAsync);

    private RoomContext Context => _context() ?? throw new RoomCommandException("rooms need a signed-in session with end-to-end keys and links");

    public IReadOnlyList<RoomPeer> Rooms
    {
        get { lock (_gate) return [.. _rooms.Values]; }
    }

    /// <summary>A room by id (16 hex digits) or by name (with or without the '&amp;').</summary>
    public RoomPeer Find(string idOrName)
    {
        var key = idOrName.TrimStart('&');
        lock (_gate)
        {
            if (RoomId.TryParse(key, out var id) && _rooms.TryGetValue(id, out var byId)) return byId;
            var byName = _rooms.Values.Where(r => string.Equals(r.State.Name, key, StringComparison.OrdinalIgnoreCase)).ToList();
            return byName.Count switch
            {
                1 => byName[0],
                0 => throw new RoomCommandException($"you are in no room '{idOrName}' (/rooms lists yours)"),
                _ => throw new RoomCommandException($"several rooms are named '{key}': use the room id"),
            };
        }
    }

    public RoomPeer Create(string name)
    {
        var ctx = Context;
        var state = RoomState.Create(RoomId.NewRandom(), name, ctx.Me, ctx.Identity.Public);
        var room = Add(ctx, state.Sign(ctx.Me, ctx.Identity));
        room.Start("created");
        return room;
    }

    /// <summary>
    /// Rejoins the rooms saved before a restart (call after each sign-in; rooms already running are left alone): each
    /// starts from its saved state, log and keys, as host when the state names us, else by connecting to the host.
    /// </summary>
    public void Resume()
    {
        if (_context() is not { Store: { } store } ctx) return;
        lock (_resuming) ResumeFrom(ctx, store);
    }

    private void ResumeFrom(RoomContext ctx, RoomStore store)
    {
        var saved = store.LoadAll(why => ctx.Events.Publish(new Events.ErrorEvent(RoomErrors.Failed, "a saved room could not be read: " + why, "room")));
        foreach (var record in saved)
        {
            if (record.Signed.State.Find(ctx.Me) is not { } me || !me.Identity.Equals(ctx.Identity.Public)) continue;
            lock (_gate)
                if (_rooms.ContainsKey(record.Id)) continue;
            RoomPeer room;
            try { room = Add(ctx, record.Signed, record); }
            catch (Exception e) when (e is RoomProtocolException or Core.Crypto.CryptoProtocolException)
            {
                ctx.Events.Publish(new Events.ErrorEvent(RoomErrors.Failed, $"the saved room {record.Id} could not be restored: {e.Message}", "room"));
                continue;
            }
            room.Start("rejoined");
        }
    }

    private RoomPeer Add(RoomContext ctx, SignedRoomState signed, RoomRecord? saved = null)
    {
        var room = new RoomPeer(ctx, signed, saved);
        room.Left += r =>
        {
            lock (_gate) _rooms.Remove(r.Id);
        };
        lock (_gate) _rooms[signed.State.Id] = room;
        return room;
    }

    /// <summary>Admits <paramref name="user"/> (through the host) and sends them the invitation over a contact link.</summary>
    public async Task InviteAsync(RoomPeer room, Tag user, CancellationToken ct)
    {
        var ctx = Context;
        if (user == ctx.Me) throw new RoomCommandException("you are already in the room");
        IContactLink link;
        try { link = await ctx.Links.ConnectAsync(user, ct).ConfigureAwait(false); }
        catch (ContactLinkUnavailableException e) { throw new RoomCommandException($"cannot reach {ctx.NameOf(user)} to invite them: {e.Message}"); }
        var admitted = await room.AdmitAsync(user, link.PeerIdentity, ct).ConfigureAwait(false);
        if (InviteThroughServer is { } viaServer)
        {
            await viaServer(user, [(byte)PayloadKind.RoomInvite, .. admitted.Encode()], ct).ConfigureAwait(false);
            return;
        }
        var conn = new RoomConnection(link, link.OpenStream(PayloadKind.RoomStream), _stop.Token);
        conn.Send(new RoomFrame.Invite(admitted));
        conn.End();
    }

    /// <summary>Accepts an invitation: connects to the host it names.</summary>
    public RoomPeer Join(string idOrName)
    {
        var ctx = Context;
        SignedRoomState state;
        lock (_gate)
        {
            var key = idOrName.TrimStart('&');
            var match = _invitations.Where(i => i.Key.ToString() == key || string.Equals(i.Value.State.State.Name, key, StringComparison.OrdinalIgnoreCase)).ToList();
            if (match.Count != 1) throw new RoomCommandException(match.Count == 0 ? $"no invitation to '{idOrName}'" : $"several invitations to '{key}': use the room id");
            _invitations.Remove(match[0].Key);
            if (_rooms.ContainsKey(match[0].Key)) throw new RoomCommandException("you are already in that room");
            state = match[0].Value.State;
        }
        var room = Add(ctx, state);
        room.Start("joined");
        return room;
    }

    /// <summary>Declines an invitation.</summary>
    public void Decline(string idOrName)
    {
        lock (_gate)
        {
            var key = idOrName.TrimStart('&');
            var match = _invitations.Keys.Where(k => k.ToString() == key || string.Equals(_invitations[k].State.State.Name, key, StringComparison.OrdinalIgnoreCase)).ToList();
            if (match.Count != 1) throw new RoomCommandException($"no invitation to '{idOrName}'");
            _invitations.Remove(match[0]);
        }
    }

    private async Task OnStreamAsync(IContactLink link, Core.Transport.IReliableStream stream, CancellationToken ct)
    {
        var ctx = _context();
        if (ctx is null)
        {
            stream.CompleteWrites();
            return;
        }
        RoomPeer? room = null;
        var conn = new RoomConnection(link, stream, ct);
        var why = await conn.ReadLoopAsync((c, frame) =>
        {
            if (room is not null)
            {
                room.DeliverFromMember(c, frame);
                return Task.CompletedTask;
            }
            switch (frame)
            {
                case RoomFrame.Hello hello:
                    room = Lookup(hello.Room);
                    if (room is null)
                    {
                        c.Send(new RoomFrame.Bye(3, "no such room here"));
                        c.End();
                    }
                    else room.AcceptMember(c, hello);
                    break;
                case RoomFrame.State offer:
                    if (Lookup(offer.Signed.State.Id) is { } known) known.Enqueue(() => known.OnOffer(c, offer.Signed));
                    else c.End();
                    break;
                case RoomFrame.Invite invite:
                    OnInvite(ctx, link.PeerTag, link.PeerIdentity, invite.Signed);
                    c.End();
                    break;
                default:
                    c.Send(new RoomFrame.Bye(1, $"a room stream cannot start with {frame.Kind}"));
                    c.End();
                    break;
            }
            return Task.CompletedTask;
        }).ConfigureAwait(false);
        room?.MemberGone(conn, why);
    }

    private RoomPeer? Lookup(RoomId id)
    {
        lock (_gate) return _rooms.GetValueOrDefault(id);
    }

    /// <param name="proven">the inviter's identity key as its link proved it; null through the server (the pairwise session authenticated the sender).</param>
    private void OnInvite(RoomContext ctx, Tag from, Core.Crypto.Identity.IdentityPublicKey? proven, SignedRoomState state)
    {
        try
        {
            RoomStateRules.CheckFirst(state);
            if (state.State.Find(from) is not { } inviter || proven is not null && !inviter.Identity.Equals(proven))
                throw new RoomProtocolException("the inviter is not a member of the room it invites to");
            if (state.State.Find(ctx.Me) is not { } me || !me.Identity.Equals(ctx.Identity.Public))
                throw new RoomProtocolException("the invitation does not list us with our key");
        }
        catch (RoomProtocolException e)
        {
            ctx.Events.Publish(new Events.ErrorEvent(RoomErrors.Refused, $"refused an invitation from {ctx.NameOf(from)}: {e.Message}", "room"));
            return;
        }
        lock (_gate)
        {
            if (_rooms.ContainsKey(state.State.Id)) return;
            _invitations[state.State.Id] = (state, from);
        }
        ctx.Events.Publish(new RoomInviteEvent(state.State.Id.ToString(), state.State.Name, ctx.NameOf(from), ctx.NameOf(state.State.Host), state.State.Members.Count));
    }

    public async ValueTask DisposeAsync()
    {
        _registration?.Dispose();
        _stop.Cancel();
        foreach (var room in Rooms) await room.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}

/// <summary>A room command cannot be done; the message says why (it becomes an error event).</summary>
public sealed class RoomCommandException(string message) : Exception(message);

// One room as this peer takes part in it: an actor that owns the signed state, the log, the keys and the host or member role.
using System.Threading.Channels;
using P2PChat.Core.Crypto.Groups;
using P2PChat.Core.Protocol;
using P2PChat.Core.Rooms;
using P2PChat.Peer.Events;

namespace P2PChat.Peer.Rooms;

/// <summary>
/// Everything that changes the room runs on one queue (<see cref="Enqueue"/>), so handlers need no locks and see
/// frames in arrival order; network waits happen off the queue and post their results back. The same object is the
/// host (orders and forwards posts, admits, signs) or a member (connects to the host, resends what was not
/// acknowledged, watches the host and fails over to the succession) — roles swap on handoff, failover and merge.
/// docs/rooms.md describes the protocol; Core/Rooms holds the pure rules this applies.
/// </summary>
public sealed partial class RoomPeer : IAsyncDisposable
{
    private readonly RoomContext _ctx;
    private readonly Channel<Func<Task>> _work = Channel.CreateUnbounded<Func<Task>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly ITimer _tick;
    private readonly RoomLog _log;
    private readonly Dictionary<(Tag, uint), GroupReceiverKey> _receivers = [];
    private readonly List<RoomDelivery> _undecryptable = [];
    private readonly Dictionary<ulong, RoomPayload> _ownPlain = [];
    private readonly VoteTally _votes;
    private GroupSenderKey _own = GroupSenderKey.Create();
    private SignedRoomState _signed;
    private bool _left;

    /// <param name="saved">the room as this member saved it before a restart (null for a new room or invitation).</param>
    public RoomPeer(RoomContext ctx, SignedRoomState signed, RoomRecord? saved = null)
    {
        _ctx = ctx;
        _signed = signed;
        _log = saved is null ? new RoomLog(ctx.Me) : Restore(saved);
        _votes = new VoteTally(signed.State.Epoch);
        _watch = new HostWatch(ctx.Time, ctx.HostTimeout);
        _loop = Task.Run(RunAsync);
        _tick = ctx.Time.CreateTimer(_ => Enqueue(TickAsync), null, HostWatch.PingInterval, HostWatch.PingInterval);
    }

    public RoomId Id => _signed.State.Id;
    public RoomState State => _signed.State;
    public SignedRoomState Signed => _signed;
    public bool IsHost => State.Host == _ctx.Me && !_left;
    private string RoomName => State.Name;
    private string Target => "&" + State.Name;

    /// <summary>Runs <paramref name="step"/> on the room's queue.</summary>
    public void Enqueue(Func<Task> step) => _work.Writer.TryWrite(step);

    public void Enqueue(Action step) => Enqueue(() => { step(); return Task.CompletedTask; });

    /// <summary>Runs <paramref name="step"/> on the queue and waits for it (commands use this to report errors).</summary>
    public Task<T> AskAsync<T>(Func<T> step)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(() =>
        {
            try { done.TrySetResult(step()); }
            catch (Exception e) { done.TrySetException(e); }
        });
        return done.Task;
    }

    private async Task RunAsync()
    {
        try
        {
            await foreach (var step in _work.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
            {
                try { await step().ConfigureAwait(false); }
                catch (RoomProtocolException e) { Error(e.Message); }
                catch (Exception e) when (e is not OperationCanceledException) { Error($"room {Id}: {e.GetType().Name}: {e.Message}"); }
            }
        }
        catch (OperationCanceledException) { }
    }

    private void Publish(ClientEvent e) => _ctx.Events.Publish(e);

    /// <summary>A failover decision, for the log (RoomContext.Log).</summary>
    private void Trace(string text) => _ctx.Log?.Invoke($"rooms: {RoomName} {Name(_ctx.Me)}: {text}");

    private void Error(string text) => Publish(new ErrorEvent(RoomErrors.Refused, text, "room"));

    private string Name(Tag tag) => _ctx.NameOf(tag);

    /// <summary>Starts the room's life here: as host (created, or the state names us) or as a member (connect to the host).</summary>
    public void Start(string reason)
    {
        Enqueue(() =>
        {
            Publish(new RoomJoinedEvent(Id.ToString(), RoomName, Name(State.Host)));
            PublishHost(reason);
            if (IsHost)
            {
                BecomeHost();
                // A room resumed from its save keeps its saved succession for a re-rank interval: the first RTTs after
                // a restart are noise, and "resumes with its host order" (docs/rooms.md §10) must hold as members return.
                if (reason == "rejoined") HoldSuccession();
            }
            else StartConnecting(State.Host);
        });
    }

    /// <summary>
    /// Takes a signed state from anyone: a successor of ours (checked against the rights), or a rival host's state
    /// after a partition (taken only when it wins the split-brain order). Returns false when it was not taken.
    /// </summary>
    private bool Adopt(SignedRoomState candidate, string? reason = null)
    {
        var held = State;
        switch (RoomStateRules.Judge(_signed, candidate))
        {
            case StateVerdict.Same or StateVerdict.Keep:
                return false;
            case StateVerdict.Rival:
                reason = "merged";
                // Before Apply: the HELLO to the winner is built as we connect, and must ask for its whole log.
                _log.ForgetPosition();
                break;
        }
        Apply(candidate, held, reason);
        return true;
    }

    private void Apply(SignedRoomState next, RoomState held, string? reason)
    {
        // The state says which it was: a handoff is signed by the host that gives the room up, a failover by the new host
        // claiming it (our own suspicion may be stale: a member that suspected a live host under load and went back).
        reason ??= next.State.Host == held.Host ? "update"
            : next.Signer == held.Host ? "handoff"
            : next.Signer == next.State.Host || _failingOver ? "failover" : "handoff";
        if (next.State.Host != held.Host)
        {
            _failingOver = false;
            // A new host's silence counts from when we learn of it, not from the last frame of the old one (a member
            // still reaching the new host after a slow handoff must not find it "silent" and claim the room).
            WatchAnew(next.State.Host);
        }
        var wasHost = held.Host == _ctx.Me;
        _signed = next;
        _dirty = true;
        var state = next.State;
        _votes.Sync(state);
        var removed = held.Members.Where(m => !state.IsMember(m.Tag)).ToList();
        var added = state.Members.Where(m => !held.IsMember(m.Tag)).ToList();
        foreach (var m in added) Publish(new RoomMemberEvent(Id.ToString(), Name(m.Tag), "joined"));
        foreach (var m in removed)
        {
            // A member signs its own leave; a removal signed by anyone else is a kick (by a moderator, or the host's exclusion).
            var change = state.Banned.Contains(m.Tag) ? "banned" : next.Signer == m.Tag || reason == "leave" ? "left" : reason == "excluded" ? "excluded" : "kicked";
            Publish(new RoomMemberEvent(Id.ToString(), Name(m.Tag), change));
        }
        if (!state.IsMember(_ctx.Me))
        {
            // Removed by someone else: kicked (by a moderator, or excluded by the host after strikes) or banned.
            LeaveLocally(state.Banned.Contains(_ctx.Me) ? "banned" : reason == "leave" || next.Signer == _ctx.Me ? "left" : reason == "excluded" ? "excluded" : "kicked");
            return;
        }
        if (removed.Count > 0) Rekey(removed.Select(m => m.Tag));
        PublishState();
        if (state.Host != held.Host || state.Epoch != held.Epoch) PublishHost(reason);
        if (state.Host == _ctx.Me && !wasHost) BecomeHost();
        else if (state.Host != _ctx.Me && wasHost) StepDown();
        else if (state.Host != _ctx.Me && state.Host != held.Host) StartConnecting(state.Host);
        if (IsHost)
        {
            Broadcast(new RoomFrame.State(_signed));
            foreach (var gone in removed) DropMember(gone.Tag, reason);
        }
        if (added.Count > 0) SendKeyBoxes(added.Select(m => m.Tag));
        SettleAdmissions();
        SaveIfDirty();
    }

    /// <summary>A member left, was kicked or banned: a new sender key for the rest, so it cannot read what follows.</summary>
    private void Rekey(IEnumerable<Tag> gone)
    {
        foreach (var tag in gone)
            foreach (var key in _receivers.Keys.Where(k => k.Item1 == tag).ToList())
            {
                _receivers[key].Dispose();
                _receivers.Remove(key);
            }
        _own.Dispose();
        _own = GroupSenderKey.Create();
        _dirty = true;
        SendKeyBoxes(State.Members.Select(m => m.Tag));
    }

    private void PublishHost(string reason) =>
        Publish(new RoomHostEvent(Id.ToString(), Name(State.Host), [.. State.Succession.Select(Name)], State.Epoch, reason));

    /// <summary>The room_state event: members with role, online, address visibility and succession place.</summary>
    public void PublishState()
    {
        var order = new[] { State.Host }.Concat(State.Succession).ToList();
        var members = State.Members.Select(m => new RoomMemberInfo(Name(m.Tag), m.Role.ToString().ToLowerInvariant(),
            IsOnline(m.Tag), AddressVisible(m.Tag), order.IndexOf(m.Tag))).ToList();
        Publish(new RoomStateEvent(Id.ToString(), RoomName, State.Version, State.Epoch, Name(State.Host), [.. State.Succession.Select(Name)],
            State.RotationMinutes, members));
    }

    private bool IsOnline(Tag tag) => tag == State.Host ? (IsHost || _host is { Ended: false }) : IsHost ? _members.ContainsKey(tag) || tag == _ctx.Me : tag == _ctx.Me ? _host is { Ended: false } : _onlineAsSeen.Contains(tag);

    private bool? AddressVisible(Tag tag)
    {
        if (tag == State.Host) return null;
        if (IsHost) return _members.TryGetValue(tag, out var c) ? c.Link.Route == Core.Links.LinkRoute.Direct : null;
        if (tag == _ctx.Me) return _host is { Ended: false } h ? h.Link.Route == Core.Links.LinkRoute.Direct : null;
        return null;
    }

    private void LeaveLocally(string reason)
    {
        if (_left) return;
        _left = true;
        WaitForSave();   // a write in flight must not bring the file back after the delete
        _ctx.Store?.Delete(Id);
        // Out of the service's list first: whoever sees room_left (a script, a test) must not find the room any more.
        Left?.Invoke(this);
        Publish(new RoomLeftEvent(Id.ToString(), RoomName, reason));
        _host?.Abort();
        foreach (var c in _members.Values) c.Abort();
        _members.Clear();
    }

    /// <summary>Raised once we are out of the room (left, kicked, banned).</summary>
    public event Action<RoomPeer>? Left;

    public async ValueTask DisposeAsync()
    {
        await _tick.DisposeAsync().ConfigureAwait(false);
        // The last save runs after what is queued; nothing enqueued later runs (our own streams ending below must
        // not look like a lost host and start a failover on the way down).
        Enqueue(SaveNow);
        // The streams are ended on the queue too: _host and _members belong to it (ending them from here raced a
        // queued step changing _members: "Collection was modified").
        Enqueue(() =>
        {
            _host?.Abort();
            foreach (var c in _members.Values) c.Abort();
        });
        _work.Writer.TryComplete();
        try { await _loop.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false); } catch (TimeoutException) { }
        _stop.Cancel();
        try { await _loop.ConfigureAwait(false); } catch (OperationCanceledException) { }
        _own.Dispose();
        foreach (var r in _receivers.Values) r.Dispose();
        _stop.Dispose();
    }
}

/// <summary>Error codes of room events (the peer's own codes are 100–110; rooms take 130–139).</summary>
public static class RoomErrors
{
    /// <summary>A room input was refused: forged or stale state, bad vote or reveal, malformed frame; the text says which.</summary>
    public const int Refused = 130;
    /// <summary>A room command failed: unknown room, not a member, not allowed, host unreachable.</summary>
    public const int Failed = 131;
}

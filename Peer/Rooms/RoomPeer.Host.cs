// The host's side of a room: admit members, order and forward ciphertext, relay sealed keys, hand off, summon, strike.
using P2PChat.Core.Payloads;
using P2PChat.Core.Protocol;
using P2PChat.Core.Rooms;

namespace P2PChat.Peer.Rooms;

public sealed partial class RoomPeer
{
    private readonly Dictionary<Tag, RoomConnection> _members = [];
    private readonly Dictionary<(Tag From, Tag To), RoomFrame.KeyBox> _boxes = [];
    private readonly Dictionary<Tag, int> _strikes = [];
    private readonly Dictionary<Tag, int> _postsInWindow = [];
    private readonly Dictionary<Tag, (RoomReach Reach, ushort MedianRttMs)> _reports = [];
    private readonly Dictionary<Tag, List<double>> _rttToMember = [];
    private bool _reorderDue;
    /// <summary>A new host waits this long (members reconnecting, failover settling) before it reorders the succession.</summary>
    private static readonly TimeSpan ReorderSettle = TimeSpan.FromSeconds(2);
    /// <summary>At most one re-rank in this time: on a loaded machine RTTs jump by hundreds of ms, and every change of
    /// the first successor makes every member build a new standby link (a 22-member room signed 70 versions while forming).</summary>
    private static readonly TimeSpan ReorderInterval = TimeSpan.FromSeconds(30);
    private long _lastReorder;
    private readonly Dictionary<Tag, (long At, int Failures)> _summons = [];
    private HostOrder? _order;
    private const ulong RestartOrderGap = 1UL << 20;
    private long _hostSince;
    private long _floodWindowStart;

    private void BecomeHost()
    {
        // A host that restarted in its own epoch numbers on past a gap wider than what any member can have been
        // given since its last save (it saves at least every tick), so a member asking "after N" misses nothing.
        _order = new HostOrder(State.Epoch, _log.LastEpoch == State.Epoch && _log.LastOrder > 0 ? _log.LastOrder + RestartOrderGap : 0);
        _hostSince = _ctx.Time.GetTimestamp();
        _floodWindowStart = _hostSince;
        _summons.Clear();
        var old = _host;
        _host = null;
        old?.Abort();
        // Our own sealed keys, cached for every member that connects (a box lost with the old host is replaced).
        SendKeyBoxes(State.Members.Select(m => m.Tag));
        // What we saw and what we sent but never saw delivered: ordered again here (members drop duplicates).
        foreach (var entry in _log.Recent.Concat(SavedOutbox())) OrderAndDeliver(entry);
        // Offer the state to every member at once (after a failover they are not all watching yet): over their warm
        // standby links this reaches them in one round trip, instead of at the next tick.
        SummonAbsent();
    }

    private void StepDown()
    {
        _order = null;
        foreach (var c in _members.Values) c.Send(new RoomFrame.State(_signed));
        foreach (var c in _members.Values) c.End();
        _members.Clear();
        _boxes.Clear();
        StartConnecting(State.Host);
    }

    /// <summary>Signs a new state as the host (or a moderator) and applies it.</summary>
    private void SignAndApply(RoomState next, string reason)
    {
        var held = State;
        var signed = next.Sign(_ctx.Me, _ctx.Identity);
        RoomStateRules.CheckSuccessor(held, signed);
        Apply(signed, held, reason);
    }

    /// <summary>Hands the host role to <paramref name="to"/> (vote, rotation): it takes the state, members follow it.</summary>
    private void Handoff(Tag to, string reason)
    {
        if (!IsHost || to == _ctx.Me || !State.IsMember(to)) return;
        var succession = State.Succession.Where(t => t != to).Append(_ctx.Me).ToList();
        SignAndApply(State with { Version = State.Version + 1, Epoch = State.Epoch + 1, Host = to, Succession = succession }, reason);
    }

    /// <summary>The host is gone and we are next in the succession: claim the room in a new epoch.</summary>
    private void TakeOver(Tag lostHost)
    {
        if (IsHost) return;
        Trace($"claiming the room from {Name(lostHost)} (silent {_watch.Silence.TotalSeconds:0.00} s of {_watch.Timeout.TotalSeconds:0.00})");
        var succession = State.Succession.Where(t => t != _ctx.Me && t != lostHost).Append(lostHost).ToList();
        SignAndApply(State with { Version = State.Version + 1, Epoch = State.Epoch + 1, Host = _ctx.Me, Succession = succession }, "failover");
    }

    /// <summary>A member's stream opened with Hello.</summary>
    internal void OnHello(RoomConnection conn, RoomFrame.Hello hello)
    {
        var tag = conn.Link.PeerTag;
        // A member's state older than ours is normal (it was away while the state moved on): ours follows below.
        if (hello.Signed is { } theirs && !IsOlder(theirs.State))
        {
            try { Adopt(theirs); }
            catch (RoomProtocolException e) { Error($"room {Id}: {Name(tag)} sent a state we refuse: {e.Message}"); }
        }
        if (!IsHost)
        {
            // A member fails over to us: we take over if our own host has been silent for the timeout too; otherwise we
            // point back to it. Not merely because we have no stream to the host: between two streams (a link being
            // replaced, a reconnect after a handoff) that claimed a live host's room.
            var next = State.Succession.FirstOrDefault();
            // Its ask counts for the claim rule (SuccessorClaim): a member that suspects our host too. Counted even when
            // we answer "not the host" below, so our own suspicion, when it comes, claims at once.
            if (State.IsMember(tag) && tag != State.Host) _askedAt = _ctx.Time.GetTimestamp();
            Trace($"{Name(tag)} asks us to host (our host silent {_watch.Silence.TotalSeconds:0.00} s)");
            if (next == _ctx.Me && ClaimNow()) TakeOver(State.Host);
            if (!IsHost)
            {
                conn.Send(new RoomFrame.State(_signed));
                conn.Send(new RoomFrame.Bye(2, "not the host"));
                conn.End();
                return;
            }
        }
        var member = State.Find(tag);
        if (member is null || !member.Identity.Equals(conn.Link.PeerIdentity))
        {
            // A member removed while it was not connected (kicked between two streams) learns it from our signed state,
            // so it leaves saying "kicked" or "banned", not merely "not a member". Only to a peer whose Hello carries a
            // state of this room listing it with the key its link proved, signed by a current member: a stranger
            // learns nothing of the room.
            if (hello.Signed is { } was && was.State.Id == Id && was.State.Find(tag)?.Identity.Equals(conn.Link.PeerIdentity) == true
                && State.Find(was.Signer) is { } signer && was.SignedBy(signer.Identity))
                conn.Send(new RoomFrame.State(_signed));
            conn.Send(new RoomFrame.Bye(3, State.Banned.Contains(tag) ? "banned from this room" : "not a member of this room"));
            conn.End();
            return;
        }
        if (_members.Remove(tag, out var previous)) previous.Abort();
        _members[tag] = conn;
        _summons.Remove(tag);
        _reports[tag] = (hello.Reach, hello.MedianRttMs);
        _reorderDue = true;
        conn.Send(new RoomFrame.State(_signed));
        foreach (var box in _boxes.Values.Where(b => b.To == tag)) conn.Send(box);
        foreach (var d in _order!.After(hello.LastEpoch, hello.LastOrder)) conn.Send(new RoomFrame.Deliver(d));
        Publish(new RoomMemberEvent(Id.ToString(), Name(tag), "online"));
        Broadcast(new RoomFrame.Notice(10, "online " + tag.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        foreach (var other in _members.Keys.Where(t => t != tag))
            conn.Send(new RoomFrame.Notice(10, "online " + other.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        PublishState();
    }

    /// <summary>No re-rank of the succession before <see cref="ReorderInterval"/> from now.</summary>
    private void HoldSuccession() => _lastReorder = _ctx.Time.GetTimestamp();

    /// <summary>
    /// The automatic proposal (HostProposal): the succession follows reachability, then median RTT — the member's
    /// own median RTT to the host (its Hello) together with the host's RTT samples to it (its Pongs). Reordered on a
    /// tick once members have reported, not on each Hello, so a room filling up or failing over signs one new state,
    /// not one per arrival.
    /// </summary>
    private void ReorderSuccession()
    {
        _reorderDue = false;
        _lastReorder = _ctx.Time.GetTimestamp();
        var reports = _reports.ToDictionary(r => r.Key, r => new ReachReport(r.Key, r.Value.Reach,
            [.. _rttToMember.GetValueOrDefault(r.Key) ?? [], .. r.Value.MedianRttMs > 0 ? new double[] { r.Value.MedianRttMs } : []]));
        var ranked = HostProposal.Succession(State, _ctx.Me, reports);
        if (!ranked.SequenceEqual(State.Succession)) SignAndApply(State with { Version = State.Version + 1, Succession = [.. ranked] }, "reachability");
    }

    /// <summary>A frame from a connected member.</summary>
    private void OnMemberFrame(RoomConnection conn, RoomFrame frame)
    {
        var tag = conn.Link.PeerTag;
        if (!IsHost || !_members.TryGetValue(tag, out var current) || current != conn) return;
        try
        {
            switch (frame)
            {
                case RoomFrame.Post p:
                    if (!State.IsMember(p.Entry.Id.Sender)) throw new RoomProtocolException("a post by a non-member");
                    _postsInWindow[tag] = _postsInWindow.GetValueOrDefault(tag) + 1;
                    if (_postsInWindow[tag] == _ctx.FloodPosts + 1) throw new RoomProtocolException($"more than {_ctx.FloodPosts} posts in {RoomContext.FloodWindow.TotalSeconds:0} s");
                    if (_postsInWindow[tag] > _ctx.FloodPosts) return;
                    var (delivery, isNew) = OrderAndDeliver(p.Entry);
                    if (!isNew) conn.Send(new RoomFrame.Deliver(delivery));
                    break;
                case RoomFrame.KeyBox k:
                    if (k.From != tag || !State.IsMember(k.To)) throw new RoomProtocolException("a sealed key from someone else or for a non-member");
                    RelayBox(k);
                    break;
                case RoomFrame.State s:
                    Adopt(s.Signed);
                    break;
                case RoomFrame.Request { Op: RoomFrame.RequestOp.Admit } r:
                    if (State.Banned.Contains(r.Target)) throw new RoomProtocolException($"{Name(r.Target)} is banned from this room");
                    if (!State.IsMember(r.Target))
                        SignAndApply(State with { Version = State.Version + 1, Members = [.. State.Members, new RoomMember(r.Target, r.Identity!, RoomRole.Member)], Succession = [.. State.Succession, r.Target] }, "invited");
                    break;
                case RoomFrame.Request { Op: RoomFrame.RequestOp.Leave }:
                    RemoveMember(tag, "leave");
                    break;
                case RoomFrame.Ping ping:
                    conn.Send(new RoomFrame.Pong(ping.Stamp));
                    break;
                case RoomFrame.Pong pong:
                    var samples = _rttToMember.TryGetValue(tag, out var kept) ? kept : _rttToMember[tag] = [];
                    samples.Add(_ctx.Time.GetUtcNow().ToUnixTimeMilliseconds() - (long)pong.Stamp);
                    if (samples.Count > 16) samples.RemoveAt(0);
                    break;
                case RoomFrame.Bye:
                    conn.End();
                    break;
                default:
                    throw new RoomProtocolException($"unexpected {frame.Kind} from a member");
            }
        }
        catch (RoomProtocolException e)
        {
            Strike(tag, e.Message);
        }
    }

    private void RemoveMember(Tag tag, string reason)
    {
        if (!State.IsMember(tag) || State.Find(tag)!.Role == RoomRole.Creator && reason != "leave") return;
        var next = State with
        {
            Version = State.Version + 1,
            Members = [.. State.Members.Where(m => m.Tag != tag)],
            Succession = [.. State.Succession.Where(t => t != tag)],
        };
        if (reason == "leave" && tag == State.Host) return;
        // A member leaving is signed by the host (its own Leave request is the proof we act on).
        SignAndApply(next, reason);
    }

    /// <summary>A member broke the rules; past the strike limit the host excludes it (its keys rotate out with it).</summary>
    private void Strike(Tag tag, string reason)
    {
        var strikes = _strikes[tag] = _strikes.GetValueOrDefault(tag) + 1;
        Publish(new RoomMemberEvent(Id.ToString(), Name(tag), "refused", reason));
        if (_members.TryGetValue(tag, out var conn)) conn.Send(new RoomFrame.Notice(1, "refused: " + reason));
        if (strikes < _ctx.StrikeLimit || tag == _ctx.Me || State.Find(tag) is not { Role: RoomRole.Member }) return;
        RemoveMember(tag, "excluded");
    }

    private void DropMember(Tag tag, string reason)
    {
        if (!_members.Remove(tag, out var conn)) return;
        conn.Send(new RoomFrame.State(_signed));
        conn.Send(new RoomFrame.Bye(4, reason == "kick" ? "kicked" : reason));
        conn.End();
    }

    /// <summary>Orders an entry in this host's epoch; a new one goes to every connected member and to ourselves.</summary>
    private (RoomDelivery, bool) OrderAndDeliver(RoomEntry entry)
    {
        var (delivery, isNew) = _order!.Order(entry);
        if (isNew)
        {
            Broadcast(new RoomFrame.Deliver(delivery));
            OnDeliver(delivery);
        }
        return (delivery, isNew);
    }

    private void RelayBox(RoomFrame.KeyBox box)
    {
        _boxes[(box.From, box.To)] = box;
        if (box.To == _ctx.Me) OnKeyBox(box);
        else if (_members.TryGetValue(box.To, out var conn)) conn.Send(box);
    }

    private void Broadcast(RoomFrame frame)
    {
        foreach (var c in _members.Values) c.Send(frame);
    }

    /// <summary>A member's stream ended.</summary>
    private void OnMemberGone(RoomConnection conn, string? why)
    {
        var tag = conn.Link.PeerTag;
        if (!_members.TryGetValue(tag, out var current) || current != conn) return;
        _members.Remove(tag);
        if (IsHost)
        {
            Publish(new RoomMemberEvent(Id.ToString(), Name(tag), "offline", why));
            Broadcast(new RoomFrame.Notice(11, "offline " + tag.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            PublishState();
        }
    }

    private void TickHost()
    {
        var now = _ctx.Time.GetTimestamp();
        foreach (var c in _members.Values) c.Send(new RoomFrame.Ping((ulong)_ctx.Time.GetUtcNow().ToUnixTimeMilliseconds()));
        if (_ctx.Time.GetElapsedTime(_floodWindowStart) >= RoomContext.FloodWindow)
        {
            _postsInWindow.Clear();
            _floodWindowStart = now;
        }
        if (State.RotationMinutes > 0 && _rotationRound is null && _ctx.Time.GetElapsedTime(_hostSince) >= TimeSpan.FromMinutes(State.RotationMinutes))
            StartRound(RoomPayload.RoundPurpose.Rotation, 0);
        ExpireRounds();
        SummonAbsent();
        if (_reorderDue && _ctx.Time.GetElapsedTime(_hostSince) >= ReorderSettle && (_lastReorder == 0 || _ctx.Time.GetElapsedTime(_lastReorder) >= ReorderInterval))
            ReorderSuccession();
    }

    /// <summary>
    /// Offers our state to members that are not connected (a restarted member, or the other side of a healed
    /// partition): they join, or answer with a state that wins and we step down. Backs off per member.
    /// </summary>
    private void SummonAbsent()
    {
        var now = _ctx.Time.GetTimestamp();
        foreach (var m in State.Members.Where(m => m.Tag != _ctx.Me && !_members.ContainsKey(m.Tag)))
        {
            var (at, failures) = _summons.GetValueOrDefault(m.Tag, (0, 0));
            if (at != 0 && _ctx.Time.GetElapsedTime(at) < TimeSpan.FromSeconds(Math.Min(5, 0.5 * (1 << Math.Min(failures, 4))))) continue;
            _summons[m.Tag] = (now, failures + 1);
            var tag = m.Tag;
            var offer = _signed;
            _ = Task.Run(async () =>
            {
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                    timeout.CancelAfter(TimeSpan.FromSeconds(5));
                    var link = await _ctx.Links.ConnectAsync(tag, timeout.Token).ConfigureAwait(false);
                    var conn = new RoomConnection(link, link.OpenStream(PayloadKind.RoomStream), _stop.Token);
                    conn.Send(new RoomFrame.State(offer));
                    await conn.ReadLoopAsync((c, f) =>
                    {
                        if (f is RoomFrame.State answer) Enqueue(() => { Adopt(answer.Signed); });
                        c.End();
                        return Task.CompletedTask;
                    }).ConfigureAwait(false);
                }
                catch (Exception e) when (e is Core.Links.ContactLinkUnavailableException or OperationCanceledException or Core.Transport.TransportException) { }
            });
        }
    }
}

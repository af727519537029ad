// A member's side of a room: connect to the host, resend what it did not acknowledge, watch it, fail over by succession.
using P2PChat.Core.Crypto.Groups;
using P2PChat.Core.Links;
using P2PChat.Core.Payloads;
using P2PChat.Core.Protocol;
using P2PChat.Core.Rooms;

namespace P2PChat.Peer.Rooms;

public sealed partial class RoomPeer
{
    private readonly HostWatch _watch;
    private readonly HashSet<Tag> _onlineAsSeen = [];
    private readonly HashSet<Tag> _unreachable = [];
    private readonly List<double> _rtts = [];
    private RoomConnection? _host;
    private Tag _connecting;
    /// <summary>The peer whose silence <see cref="_watch"/> counts (the host we connected to or adopted last).</summary>
    private Tag _watched;
    private int _attempt;
    private long _ticks;
    private long _lastTick;
    private bool _failingOver;
    private bool _notHostYet;
    /// <summary>Whether we have had a stream to <see cref="_watched"/> since we began watching it.</summary>
    private bool _reachedWatched;
    /// <summary>When another member last asked us to host (its Hello while we are not the host), 0 if none did since we began watching this host.</summary>
    private long _askedAt;
    /// <summary>When the stream to the host we hold was made.</summary>
    private long _streamSince;

    /// <summary>What the claim rule (SuccessorClaim) needs to know now.</summary>
    private ClaimFacts ClaimFacts => new(_watch.Silence, _watch.Timeout, _reachedWatched,
        _askedAt == 0 ? null : _ctx.Time.GetElapsedTime(_askedAt), State.Members.Count(m => m.Tag != _ctx.Me && m.Tag != State.Host),
        ReachingHost: !_connecting.IsNone && _connecting == State.Host);

    /// <summary>The host we watch is gone as far as we can tell: silent for the timeout, after the grace for a first reach
    /// (a vote's new host was given up 1.5 s after the handoff while the link to it was still being made, RoomHandoffTests).</summary>
    private bool HostGivenUp => SuccessorClaim.HostGivenUp(ClaimFacts);

    /// <summary>Whether we are the one to claim the room if the host is gone: the first in the succession not found unreachable.</summary>
    private bool NextInLine => State.Succession.FirstOrDefault(t => !_unreachable.Contains(t)) == _ctx.Me;

    /// <summary>Connects to <paramref name="target"/> (the host, or who we believe takes over) off the queue.</summary>
    private void StartConnecting(Tag target)
    {
        if (_left || IsHost) return;
        if (_host is { Ended: false } live && live.Link.PeerTag == target) return;
        if (_connecting == target) return;
        _host?.Abort();
        _host = null;
        _connecting = target;
        var attempt = ++_attempt;
        var hello = new RoomFrame.Hello(Id, RoomReach.RelayOnly, (ushort)Math.Min(ushort.MaxValue, Median(_rtts)), _log.LastEpoch, _log.LastOrder, _signed);
        var facts = _ctx.Reach();
        _ = Task.Run(async () =>
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(10));
                var link = await _ctx.Links.ConnectAsync(target, timeout.Token).ConfigureAwait(false);
                var conn = new RoomConnection(link, link.OpenStream(PayloadKind.RoomStream), _stop.Token);
                conn.Send(hello with { Reach = RoomReachRules.Classify(facts, link.Route == LinkRoute.Direct) });
                Enqueue(() => Connected(conn, attempt));
                var why = await conn.ReadLoopAsync((c, f) => { Enqueue(() => OnHostFrame(c, f)); return Task.CompletedTask; }).ConfigureAwait(false);
                Enqueue(() => OnHostGone(conn, why ?? "the host closed the stream"));
            }
            catch (Exception e) when (e is ContactLinkUnavailableException or OperationCanceledException or Core.Transport.TransportException)
            {
                Enqueue(() => Unreachable(target, attempt, e.Message));
            }
        });
    }

    private void Connected(RoomConnection conn, int attempt)
    {
        if (attempt != _attempt || _left || IsHost)
        {
            conn.Abort();
            return;
        }
        _connecting = default;
        _host = conn;
        _streamSince = _ctx.Time.GetTimestamp();
        if (conn.Link.PeerTag == State.Host) _failingOver = false;   // back at the host: a suspicion that was wrong ends here
        // A new stream to the peer we were watching (its last one ended, say its link was replaced) keeps counting its
        // silence: reconnecting to a host that is really gone must not buy it a fresh timeout each time. A first
        // stream to it starts the count: the wait for the link was ours, not the host's silence.
        Trace($"stream to {Name(conn.Link.PeerTag)} made ({(conn.Link.PeerTag == _watched && _reachedWatched ? "again" : "first")}; silent {_watch.Silence.TotalSeconds:0.00} s)");
        if (conn.Link.PeerTag == _watched && _reachedWatched) _watch.Reconnected();
        else WatchAnew(conn.Link.PeerTag);
        _reachedWatched = true;
        _unreachable.Clear();
        _onlineAsSeen.Clear();
        // Give the (possibly new) host everything it may lack: our sealed keys, what we saw, what we sent.
        SendKeyBoxes(State.Members.Select(m => m.Tag), force: true);
        foreach (var entry in _log.Recent.Concat(SavedOutbox())) conn.Send(new RoomFrame.Post(entry));
        PublishState();
    }

    private void Unreachable(Tag target, int attempt, string why)
    {
        if (attempt != _attempt) return;
        _connecting = default;
        Trace($"{Name(target)} unreachable: {why}");
        // The host we have not yet given up (not silent for HostTimeout, or not reached yet and still within
        // SuccessorClaim.FirstReachGrace) is tried again on the next tick rather than replaced: a member must not claim a live host's room.
        if (target == State.Host && !_failingOver && !HostGivenUp) return;
        _unreachable.Add(target);
        FailOver(target, why);
    }

    private void OnHostGone(RoomConnection conn, string why)
    {
        if (conn != _host) return;
        _host = null;
        if (_left || IsHost) return;
        Trace($"stream to {Name(conn.Link.PeerTag)} ended: {why} (silent {_watch.Silence.TotalSeconds:0.00} s of {_watch.Timeout.TotalSeconds:0.00})");
        if (_ctx.Links.Find(conn.Link.PeerTag) is { } newer && newer != conn.Link)
        {
            // The link was replaced (both sides linked at once), not lost: the peer is there, connect again over the new one.
            StartConnecting(conn.Link.PeerTag);
            return;
        }
        if (_notHostYet)
        {
            // The candidate still hears its host: try the host again on the next tick, then the candidate.
            _notHostYet = false;
            _unreachable.Clear();
            return;
        }
        if (conn.Link.PeerTag == State.Host && !_watch.HostSuspected)
        {
            // A stream that ends is not a host that is gone: its link may be in the middle of being replaced (both
            // sides linked at once, and Find saw neither link), or the host may be restarting its side. The next tick
            // connects again; the host is given up only once it has been silent for the timeout (TickMember), as a
            // killed one is. Failing over here made the first successor claim a live host's room (a second epoch
            // after a vote, RoomHandoffTests; a second successor's claim in RoomFailoverTests).
            return;
        }
        FailOver(conn.Link.PeerTag, why);
    }

    /// <summary>Counts the silence of <paramref name="peer"/> from now (a new host, or a first stream to it).</summary>
    private void WatchAnew(Tag peer)
    {
        _watched = peer;
        _askedAt = 0;
        _watch.Restart();
        _reachedWatched = _host is { Ended: false } h && h.Link.PeerTag == peer;
    }

    /// <summary>
    /// The host (or the candidate we tried) is unreachable: the next in the succession that we have not found
    /// unreachable hosts. If that is us, we claim the room; otherwise we connect to it (it claims the room when a
    /// member arrives and its own host is gone too). When everyone was tried, we start again on the next tick.
    /// </summary>
    private void FailOver(Tag lost, string why)
    {
        if (_left || IsHost) return;
        Trace($"failing over from {Name(lost)}: {why} (silent {_watch.Silence.TotalSeconds:0.00} s of {_watch.Timeout.TotalSeconds:0.00}, reached {_reachedWatched})");
        _failingOver = true;
        _unreachable.Add(lost);
        var next = State.Succession.Where(t => !_unreachable.Contains(t)).Cast<Tag?>().FirstOrDefault();
        if (next is null)
        {
            _unreachable.Clear();
            return;   // the tick retries the host first
        }
        if (next.Value != _ctx.Me) StartConnecting(next.Value);
        else if (ClaimNow()) TakeOver(State.Host);
        // Otherwise we suspect the host alone so far: the next tick connects to it again (SuccessorClaim.Wait).
    }

    /// <summary>We are next in line: whether the claim rule lets us take the room now (a member asked, we are alone, or a long silence).</summary>
    private bool ClaimNow()
    {
        var decision = SuccessorClaim.Decide(ClaimFacts);
        if (decision != ClaimDecision.KeepHost) Trace($"claim rule: {decision} (silent {_watch.Silence.TotalSeconds:0.00} s of {_watch.Timeout.TotalSeconds:0.00}, asked {(_askedAt == 0 ? "never" : $"{_ctx.Time.GetElapsedTime(_askedAt).TotalSeconds:0.00} s ago")})");
        return decision.Claims();
    }

    private void OnHostFrame(RoomConnection conn, RoomFrame frame)
    {
        if (conn != _host) return;
        _watch.Heard();
        switch (frame)
        {
            case RoomFrame.State s:
                if (!Adopt(s.Signed) && s.Signed.State.Host != conn.Link.PeerTag && !IsHost)
                    StartConnecting(State.Host);
                break;
            case RoomFrame.Deliver d:
                OnDeliver(d.Delivery);
                break;
            case RoomFrame.KeyBox k:
                OnKeyBox(k);
                break;
            case RoomFrame.Ping p:
                conn.Send(new RoomFrame.Pong(p.Stamp));
                break;
            case RoomFrame.Pong p:
                _rtts.Add(_ctx.Time.GetUtcNow().ToUnixTimeMilliseconds() - (long)p.Stamp);
                if (_rtts.Count > 16) _rtts.RemoveAt(0);
                break;
            case RoomFrame.Notice { Code: 10 or 11 } n:
                if (uint.TryParse(n.Text.AsSpan(n.Text.IndexOf(' ') + 1), out var who))
                {
                    if (n.Code == 10) _onlineAsSeen.Add(new Tag(who)); else _onlineAsSeen.Remove(new Tag(who));
                    PublishState();
                }
                break;
            case RoomFrame.Notice n:
                Error($"room {RoomName}: the host says: {n.Text}");
                break;
            case RoomFrame.Bye b:
                conn.End();
                if (b.Reason == 2) _notHostYet = true;
                if (b.Reason == 3) LeaveLocally(b.Text);
                else if (b.Reason == 4) LeaveLocally(b.Text);
                break;
        }
    }

    /// <summary>An incoming stream that starts with a state: a host offering its room (summon, or a rival after a partition).</summary>
    internal void OnOffer(RoomConnection conn, SignedRoomState offer)
    {
        var adopted = false;
        // An older state (a host that restarted after we failed over without it): answer with ours, it steps down.
        if (!IsOlder(offer.State))
        {
            try { adopted = Adopt(offer); }
            catch (RoomProtocolException e) { Error($"room {RoomName}: refused a state from {Name(conn.Link.PeerTag)}: {e.Message}"); }
        }
        if (!adopted && !offer.State.Digest().AsSpan().SequenceEqual(State.Digest())) conn.Send(new RoomFrame.State(_signed));
        conn.End();
        if (!IsHost && _host is null or { Ended: true }) StartConnecting(State.Host);
    }

    /// <summary>Whether <paramref name="other"/> is an earlier state of our room than the one we hold (not a rival or a successor).</summary>
    private bool IsOlder(RoomState other) => other.Epoch < State.Epoch || other.Epoch == State.Epoch && other.Version < State.Version;

    private void TickMember()
    {
        if (_left) return;
        if (_host is { Ended: false } h)
        {
            // The host pings us every tick (that is what the watch hears); our own pings, for the RTT, go 1 in 4.
            if (_ticks % 4 == 0) h.Send(new RoomFrame.Ping((ulong)_ctx.Time.GetUtcNow().ToUnixTimeMilliseconds()));
            if (_watch.HostSuspected)
            {
                // Next in line and alone in suspecting the host (SuccessorClaim.Wait): a stream made less than a timeout
                // ago is given the time any host is given; an older one is made again on the next tick (FailOver waits).
                if (NextInLine && !SuccessorClaim.Decide(ClaimFacts).Claims() && _ctx.Time.GetElapsedTime(_streamSince) < _watch.Timeout) return;
                var lost = h.Link.PeerTag;
                _host = null;
                h.Abort();
                FailOver(lost, "the host went silent");
            }
        }
        else if (_connecting.IsNone) StartConnecting(State.Host);
        else if (_connecting == State.Host && HostGivenUp && (NextInLine ? SuccessorClaim.Decide(ClaimFacts).Claims() : !_failingOver))
        {
            // Next in line, the attempt is given up only when the room agrees (asked, or alone): while it is under way a
            // long silence does not count, as its answer may be a newer state (SuccessorClaim.ReachingHost).
            // Reconnecting to a host whose stream ended, and it has been silent for the timeout meanwhile: gone. The
            // attempt (up to 10 s for a link) is abandoned, as a silent live stream would be above.
            var lost = _connecting;
            _connecting = default;
            _attempt++;
            FailOver(lost, "the host went silent");
        }
    }

    private async Task TickAsync()
    {
        if (_left) return;
        _ticks++;
        var sinceTick = _lastTick == 0 ? TimeSpan.Zero : _ctx.Time.GetElapsedTime(_lastTick);
        _lastTick = _ctx.Time.GetTimestamp();
        if (sinceTick > TimeSpan.FromSeconds(1)) Trace($"tick {sinceTick.TotalSeconds:0.00} s after the last");
        if (IsHost) TickHost(); else TickMember();
        KeepStandbyWarm();
        SaveIfDirty();
        await Task.CompletedTask.ConfigureAwait(false);
    }

    private static double Median(List<double> values)
    {
        if (values.Count == 0) return 0;
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    /// <summary>Seals our sender key to each of <paramref name="to"/> and sends it through the host (which cannot open it).</summary>
    private void SendKeyBoxes(IEnumerable<Tag> to, bool force = false)
    {
        var distribution = _own.CreateDistribution();
        foreach (var tag in to.Where(t => t != _ctx.Me).ToList())
        {
            if (State.Find(tag) is not { } member) continue;
            var box = new RoomFrame.KeyBox(_ctx.Me, tag, RoomKeySeal.Seal(Id, _ctx.Me, _ctx.Identity, tag, member.Identity, distribution));
            if (IsHost) RelayBox(box);
            else if (_host is { Ended: false } h) h.Send(box);
        }
        _ = force;
    }

    private void OnKeyBox(RoomFrame.KeyBox box)
    {
        if (box.To != _ctx.Me || State.Find(box.From) is not { } sender) return;
        var distribution = RoomKeySeal.Open(Id, box.From, sender.Identity, _ctx.Me, _ctx.Identity, box.Sealed);
        if (!_receivers.ContainsKey((box.From, distribution.KeyId)))
        {
            _receivers[(box.From, distribution.KeyId)] = GroupReceiverKey.FromDistribution(distribution);
            _dirty = true;
        }
        var waiting = _undecryptable.Where(d => d.Entry.Id.Sender == box.From).ToList();
        _undecryptable.RemoveAll(d => d.Entry.Id.Sender == box.From);
        foreach (var d in waiting) OnDeliver(d);
    }
}

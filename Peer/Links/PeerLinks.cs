// The peer's real IContactLinks: introductions through the server, a link per contact over the relay at once, and an
// upgrade to a direct path found by connectivity checks, all without the transport noticing.
using System.Net;
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Links;
using P2PChat.Core.Payloads;
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Core.Transport;
using P2PChat.Peer.E2e;
using P2PChat.Peer.Events;
using P2PChat.Peer.Server;
using P2PChat.Peer.Nat;

namespace P2PChat.Peer.Links;

/// <summary>
/// <para><b>Making a link</b> (<see cref="ConnectAsync"/>, or the other side's request): LINK → INTRO to both sides
/// (docs/protocol.md, "Direct links"). On INTRO the identity key it names must be the one the trust book accepts for
/// that user (first seen, trusted or verified); a changed key waiting for /trust, or any other key, is refused. Then a
/// <see cref="LinkPathSocket"/> is made for the contact and the UDP transport runs on it at once — over the relay —
/// while a <see cref="ProbeSession"/> checks the peer's candidates from the shared socket. The controlling side (the
/// lower tag) connects and initiates the Noise XX handshake (<see cref="SecureLink"/>), which must prove the expected
/// key; the other accepts and responds. The link is up (event <c>link</c>, route relay) as soon as the handshake is done.</para>
/// <para><b>Upgrade</b>: when a check is answered, the path socket switches to the direct endpoint (event <c>link</c>,
/// route direct). The transport connection and its streams carry on unchanged, so nothing is lost or duplicated. While
/// relayed, the controlling side asks for a fresh introduction and checks again (a NAT that changed, a new mapping, or
/// candidates the other side had not published yet when the first introduction was made): after 5 s, then 10 s, 20 s,
/// and every <see cref="UpgradeInterval"/> from then on (<see cref="UpgradeDelay"/>). A direct path that stops answering is dropped back to the relay.</para>
/// <para><b>Privacy</b>: with the setting <c>nobody</c> this peer publishes no candidates and sends no check; the
/// server withholds both sides' candidates unless both settings allow them, and without candidates no check is sent.</para>
/// </summary>
public sealed class PeerLinks : IContactLinks, IAsyncDisposable
{
    public static readonly TimeSpan IntroTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(20);
    public static readonly TimeSpan UpgradeInterval = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan UpgradeAskGap = TimeSpan.FromSeconds(5);

    /// <summary>How long a relayed link waits before its <paramref name="tries"/>-th (from 0) fresh introduction: 5 s
    /// doubling to <see cref="UpgradeInterval"/>, so a link made before the other side published its candidates (it had
    /// just signed in) goes direct within seconds, while a pair that can never go direct asks only every 30 s.</summary>
    public static TimeSpan UpgradeDelay(int tries) =>
        TimeSpan.FromSeconds(Math.Min(UpgradeAskGap.TotalSeconds * Math.Pow(2, Math.Min(tries, 10)), UpgradeInterval.TotalSeconds));
    public static readonly TimeSpan PrefetchBackoff = TimeSpan.FromSeconds(30);
    private static readonly EndPoint VirtualPeer = new IPEndPoint(IPAddress.Any, 1);

    private readonly ServerConnection _client;
    private readonly EndToEnd _e2e;
    private readonly PeerNat _nat;
    private readonly IEventSink _events;
    private readonly DirectSettingFile _setting;
    private readonly TimeProvider _time;
    private readonly Action<string>? _log;
    private readonly ContactStreamRouter _streams = new();
    private readonly RelayChannel _relay;
    private readonly Lock _gate = new();
    private readonly Dictionary<Tag, LinkAttempt> _attempts = [];
    private readonly Dictionary<uint, TaskCompletionSource<Intro>> _requests = [];
    private readonly Dictionary<Tag, long> _prefetchFailed = [];
    private readonly CancellationTokenSource _stop = new();
    private DirectRouter? _router;
    private Task<(byte Nat, IReadOnlyList<LinkCandidate> Candidates)>? _discovery;
    private uint _nextRequest;

    public PeerLinks(ServerConnection client, EndToEnd e2e, PeerNat nat, IEventSink events, DirectSettingFile setting, TimeProvider? time = null, Action<string>? log = null)
    {
        _client = client;
        _e2e = e2e;
        _nat = nat;
        _events = events;
        _setting = setting;
        _time = time ?? TimeProvider.System;
        _log = log;
        _relay = new RelayChannel(client.SendLinkFrameAsync);
        client.LinkFrames = OnFrame;
    }

    public DirectSetting Direct => _setting.Current;

    /// <summary>Offer 127.0.0.1 only (hidden --loopback-links-only: tests on one machine send nothing off loopback).</summary>
    public bool LoopbackOnly { get; init; }

    public IContactLink? Find(Tag peer)
    {
        lock (_gate) return _attempts.TryGetValue(peer, out var a) && a.Link is { } link && !link.Closed.IsCancellationRequested ? link : null;
    }

    public IDisposable OnStream(PayloadKind kind, ContactStreamHandler handler) => _streams.Register(kind, handler);

    public async ValueTask<IContactLink> ConnectAsync(Tag peer, CancellationToken cancellationToken)
    {
        if (Find(peer) is { } live)
        {
            if (live.Route == LinkRoute.Relay) RequestUpgrade(peer);
            return live;
        }
        LinkAttempt? attempt;
        lock (_gate) attempt = _attempts.GetValueOrDefault(peer);
        if (attempt is null)
        {
            if (!_client.IsSignedIn) throw new ContactLinkUnavailableException(peer, "not signed in to the server");
            var (nat, candidates) = await CandidatesAsync(cancellationToken).ConfigureAwait(false);
            var reply = new TaskCompletionSource<Intro>(TaskCreationOptions.RunContinuationsAsynchronously);
            uint id;
            lock (_gate)
            {
                id = ++_nextRequest == 0 ? ++_nextRequest : _nextRequest;
                _requests[id] = reply;
            }
            try
            {
                await _client.SendLinkFrameAsync(new LinkRequest(peer, id, Direct, nat, Publishable(candidates)), cancellationToken).ConfigureAwait(false);
                await reply.Task.WaitAsync(IntroTimeout, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (CommandFailedException e) { throw new ContactLinkUnavailableException(peer, e.Message); }
            catch (TimeoutException) { throw new ContactLinkUnavailableException(peer, "the server did not introduce us in time"); }
            finally
            {
                lock (_gate) _requests.Remove(id);
            }
            lock (_gate) attempt = _attempts.GetValueOrDefault(peer);
            if (attempt is null) throw new ContactLinkUnavailableException(peer, "the introduction was refused");
        }
        return await attempt.Ready.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts making a link to <paramref name="peer"/> in the background (a PM went through the server because
    /// there was none: the next one can go direct). Not again within <see cref="PrefetchBackoff"/> after a failure.</summary>
    public void Prefetch(Tag peer)
    {
        lock (_gate)
        {
            if (_attempts.ContainsKey(peer) || !_client.IsSignedIn) return;
            var now = _time.GetTimestamp();
            if (_prefetchFailed.TryGetValue(peer, out var failed) && _time.GetElapsedTime(failed, now) < PrefetchBackoff) return;
            _prefetchFailed[peer] = now;   // also stops a second prefetch while this one asks
        }
        _ = Task.Run(async () =>
        {
            try
            {
                await ConnectAsync(peer, _stop.Token).ConfigureAwait(false);
                lock (_gate) _prefetchFailed.Remove(peer);
            }
            catch (Exception e) when (e is ContactLinkUnavailableException or OperationCanceledException or ObjectDisposedException) { }
        });
    }

    /// <summary>Sees every server frame first (on the client's read loop; never blocks).</summary>
    private bool OnFrame(Frame frame)
    {
        switch (frame)
        {
            case Intro intro:
                var refusal = OnIntro(intro);
                TaskCompletionSource<Intro>? reply;
                lock (_gate) reply = intro.RequestId == 0 ? null : _requests.GetValueOrDefault(intro.RequestId);
                if (refusal is null) reply?.TrySetResult(intro);
                else reply?.TrySetException(new ContactLinkUnavailableException(intro.Peer, refusal));
                return true;
            case RelayDeliver relayed:
                _relay.OnRelayed(relayed);
                return true;
            case Status { RefOpcode: Opcode.Link } s:
                lock (_gate) reply = _requests.GetValueOrDefault(s.Value);
                reply?.TrySetException(new ContactLinkUnavailableException(s.Subject, s.Text.Length > 0 ? s.Text : StatusText.Name(s.Code)));
                return true;
            case Status { RefOpcode: Opcode.Candidates or Opcode.Relay } s:
                if (s.Code == StatusCode.RelayLimited) _log?.Invoke($"links: relay limit hit ({s.Text}); packets to {_client.Directory.NameOf(s.Subject)} dropped");
                return true;
            case Status { Code: StatusCode.AuthOk }:
                _ = Task.Run(PublishAsync);
                return false;
            default:
                return false;
        }
    }

    /// <summary>Starts (or feeds) the link the introduction is about; returns why it was refused, or null.</summary>
    private string? OnIntro(Intro intro)
    {
        var name = _client.Directory.NameOf(intro.Peer);
        IdentityPublicKey presented;
        try { presented = IdentityPublicKey.Decode(intro.IdentityKey); }
        catch (CryptoProtocolException) { return Refuse(name, "the server named an identity key that is not one"); }
        _e2e.Contacts.ObserveAnnounced(name, intro.IdentityKey);   // the server's word for the key, as an ADD would be
        var accepted = _e2e.Contacts.AcceptedKey(name);
        if (accepted is null || !accepted.Equals(presented))
            return Refuse(name, $"{name}'s identity key is not the one you accepted (see /safety {name}, /trust {name}); no link");
        LinkAttempt attempt;
        lock (_gate)
        {
            if (_attempts.TryGetValue(intro.Peer, out var existing) && !existing.Ended)
            {
                if (existing.Expected.Equals(presented)) StartProbe(existing, intro);
                return null;
            }
            var path = new LinkPathSocket(VirtualPeer, packet => _relay.Send(intro.Peer, packet), _time);
            var endpoint = new UdpTransportEndpoint(path, new TransportOptions { AcceptIncoming = !intro.Controlling }, _time);
            attempt = new LinkAttempt(intro.Peer, name, presented, intro.Controlling, path, endpoint);
            _attempts[intro.Peer] = attempt;
            _relay.Register(intro.Peer, path);
            StartProbe(attempt, intro);
        }
        _ = Task.Run(() => EstablishAsync(attempt));
        return null;
    }

    private string Refuse(string name, string reason)
    {
        _events.Publish(new LinkEvent(name, "down", null, null, null, null, null, reason));
        return reason;
    }

    private async Task EstablishAsync(LinkAttempt a)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(HandshakeTimeout);
        try
        {
            var me = _e2e.Keys.LinkIdentity ?? throw new LinkHandshakeException("our identity keys are not open (sign in first)");
            TransportConnection connection;
            if (a.Controlling)
            {
                connection = await a.Endpoint.ConnectAsync(a.Path.Virtual, timeout.Token).ConfigureAwait(false);
                await SecureLink.InitiateAsync(connection, me, a.Expected, timeout.Token).ConfigureAwait(false);
            }
            else
            {
                connection = await a.Endpoint.AcceptAsync(timeout.Token).ConfigureAwait(false);
                await SecureLink.RespondAsync(connection, me, a.Expected.Equals, timeout.Token).ConfigureAwait(false);
            }
            LinkEvent up;
            ContactLink link;
            lock (_gate)
            {
                if (a.Ended) throw new OperationCanceledException();
                link = new ContactLink(connection, a.Peer, a.Expected, a.Route, _streams);
                a.Link = link;
                a.Since = _time.GetUtcNow();
                up = a.Up();
            }
            link.Start();
            _events.Publish(up);
            a.Ready.TrySetResult(link);
            link.Closed.Register(() => _ = Task.Run(() => EndAsync(a, "the link closed")));
            ScheduleUpgrade(a);
        }
        catch (Exception e) when (e is TransportException or LinkHandshakeException or OperationCanceledException or ObjectDisposedException)
        {
            var reason = e is OperationCanceledException ? "no answer from the peer in time" : e.Message;
            a.Ready.TrySetException(new ContactLinkUnavailableException(a.Peer, $"no link to {a.Name}: {reason}"));
            await EndAsync(a, reason).ConfigureAwait(false);
        }
    }

    /// <summary>Checks the introduction's candidates (under the lock); the first answer moves the link to that path.</summary>
    private void StartProbe(LinkAttempt a, Intro intro)
    {
        if (intro.Candidates.Count == 0 || Direct == DirectSetting.Nobody || a.Active is not null) return;
        var router = EnsureRouter();
        var probe = new ProbeSession(router.Socket, intro.Token, intro.Controlling, intro.Candidates, _time);
        a.Probes.Add(probe);
        router.Add(probe);
        probe.Start();
        _ = probe.Found.ContinueWith(t => OnProbed(a, probe, t.Result), TaskScheduler.Default);
    }

    private void OnProbed(LinkAttempt a, ProbeSession probe, DirectPath? path)
    {
        LinkEvent? changed = null;
        lock (_gate)
        {
            if (path is null || a.Ended || a.Active is not null || Direct == DirectSetting.Nobody)
            {
                Drop(a, probe);
                if (!a.Ended && a.Active is null)
                {
                    if (path is null && a.Probes.Count == 0)
                    {
                        a.NoDirect = $"no direct path answered within {ProbeSession.Deadline.TotalSeconds:0} s; staying on the relay";
                        if (a.Link is not null) changed = a.Up();
                    }
                    ScheduleUpgrade(a);
                }
                if (changed is not null) _events.Publish(changed);
                return;
            }
            a.Active = probe;
            a.Direct = path;
            a.UpgradeTries = 0;   // if this path dies, the search starts again from the short delay
            _router!.Map(path.Remote, a.Path);
            a.Path.UseDirect(_router.Socket, path.Remote);
            foreach (var other in a.Probes.Where(p => p != probe).ToList()) Drop(a, other);
            if (a.Link is { } link)
            {
                link.Route = LinkRoute.Direct;
                changed = a.Up();
            }
        }
        if (changed is not null) _events.Publish(changed);
        probe.Monitor(path, () => FallBack(a, probe, "the direct path stopped answering"));
    }

    /// <summary>Moves a link back to the relay (its direct path died, or the setting became nobody).</summary>
    private void FallBack(LinkAttempt a, ProbeSession probe, string why)
    {
        LinkEvent? changed = null;
        lock (_gate)
        {
            if (a.Active != probe) return;
            a.Active = null;
            a.Direct = null;
            _router?.Unmap(a.Path);
            a.Path.UseRelay();
            Drop(a, probe);
            if (a.Ended) return;
            if (a.Link is { } link)
            {
                link.Route = LinkRoute.Relay;
                changed = a.Up() with { Reason = why };
            }
        }
        if (changed is not null) _events.Publish(changed);
        ScheduleUpgrade(a);
    }

    private void Drop(LinkAttempt a, ProbeSession probe)
    {
        a.Probes.Remove(probe);
        _router?.Remove(probe);
        probe.Dispose();
    }

    /// <summary>While relayed, the controlling side asks for a fresh introduction after <see cref="UpgradeDelay"/>.</summary>
    private void ScheduleUpgrade(LinkAttempt a)
    {
        TimeSpan delay;
        lock (_gate)
        {
            if (!a.Controlling || a.UpgradeScheduled || a.Ended || a.Active is not null || Direct == DirectSetting.Nobody) return;
            a.UpgradeScheduled = true;
            delay = UpgradeDelay(a.UpgradeTries++);
        }
        _ = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(delay, _time, _stop.Token).ConfigureAwait(false);
                lock (_gate) a.UpgradeScheduled = false;
                if (!a.Ended && a.Link is not null) RequestUpgrade(a.Peer);
            }
            catch (OperationCanceledException) { }
        });
    }

    /// <summary>A relayed link is wanted now: ask for a fresh introduction (at most one every <see cref="UpgradeAskGap"/>),
    /// whose candidates are checked while the link carries on over the relay.</summary>
    private void RequestUpgrade(Tag peer)
    {
        LinkAttempt? a;
        lock (_gate)
        {
            a = _attempts.GetValueOrDefault(peer);
            if (a is null || a.Ended || a.Active is not null || a.Probes.Count > 0 || Direct == DirectSetting.Nobody) return;
            var now = _time.GetTimestamp();
            if (a.LastUpgradeAsk != 0 && _time.GetElapsedTime(a.LastUpgradeAsk, now) < UpgradeAskGap) return;
            a.LastUpgradeAsk = now;
        }
        _ = Task.Run(async () =>
        {
            try
            {
                var (nat, candidates) = await CandidatesAsync(_stop.Token).ConfigureAwait(false);
                await _client.SendLinkFrameAsync(new LinkRequest(peer, 0, Direct, nat, Publishable(candidates)), _stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or CommandFailedException) { }
        });
    }

    private async Task EndAsync(LinkAttempt a, string reason)
    {
        ContactLink? link;
        lock (_gate)
        {
            if (a.Ended) return;
            a.Ended = true;
            if (_attempts.GetValueOrDefault(a.Peer) == a) _attempts.Remove(a.Peer);
            foreach (var probe in a.Probes.ToList()) Drop(a, probe);
            a.Active = null;
            _router?.Unmap(a.Path);
            _relay.Unregister(a.Peer, a.Path);
            link = a.Link;
        }
        if (link is not null)
        {
            _events.Publish(new LinkEvent(a.Name, "down", null, null, null, null, null, reason));
            await link.DisposeAsync().ConfigureAwait(false);
        }
        await a.Endpoint.DisposeAsync().ConfigureAwait(false);
        a.Path.Dispose();
    }

    /// <summary>/links.</summary>
    public LinksEvent List()
    {
        lock (_gate)
            return new LinksEvent(DirectSettingFile.Name(Direct),
                [.. _attempts.Values.Where(a => a.Link is { } l && !l.Closed.IsCancellationRequested).OrderBy(a => a.Name).Select(a => a.Entry())]);
    }

    /// <summary>/set direct: stores the setting, tells the server, and with <c>nobody</c> moves every direct link to the relay.</summary>
    public async Task SetDirectAsync(DirectSetting setting, CancellationToken ct)
    {
        _setting.Set(setting);
        if (setting == DirectSetting.Nobody)
        {
            List<(LinkAttempt, ProbeSession)> direct;
            lock (_gate) direct = [.. _attempts.Values.Where(a => a.Active is not null).Select(a => (a, a.Active!))];
            foreach (var (a, probe) in direct) FallBack(a, probe, "direct links are off (/set direct nobody)");
        }
        if (_client.IsSignedIn)
        {
            var (nat, candidates) = await CandidatesAsync(ct).ConfigureAwait(false);
            await _client.SendLinkFrameAsync(new LinkCandidates(setting, nat, Publishable(candidates)), ct).ConfigureAwait(false);
        }
    }

    private IReadOnlyList<LinkCandidate> Publishable(IReadOnlyList<LinkCandidate> candidates) => Direct == DirectSetting.Nobody ? [] : candidates;

    /// <summary>After each sign-in: discover (once) and publish our candidates and setting.</summary>
    private async Task PublishAsync()
    {
        try
        {
            var (nat, candidates) = await CandidatesAsync(_stop.Token).ConfigureAwait(false);
            await _client.SendLinkFrameAsync(new LinkCandidates(Direct, nat, Publishable(candidates)), _stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or CommandFailedException or ObjectDisposedException)
        {
            _log?.Invoke($"links: could not publish candidates: {e.Message}");
        }
    }

    private Task<(byte Nat, IReadOnlyList<LinkCandidate> Candidates)> CandidatesAsync(CancellationToken ct)
    {
        lock (_gate) _discovery ??= DiscoverAsync(_stop.Token);
        return _discovery.WaitAsync(ct);
    }

    private async Task<(byte Nat, IReadOnlyList<LinkCandidate> Candidates)> DiscoverAsync(CancellationToken ct)
    {
        var router = EnsureRouter();
        int port = ((IPEndPoint)router.Socket.LocalEndPoint).Port;
        if (LoopbackOnly) return ((byte)Core.Nat.MappingBehaviour.NoNat, LinkCandidatesFrom.Lan([], port));
        try
        {
            var found = await _nat.DiscoverAsync(ct).ConfigureAwait(false);
            return ((byte)found.Mapping, LinkCandidatesFrom.Nat(found, port));
        }
        catch (CommandFailedException e)
        {
            _log?.Invoke($"links: no NAT discovery ({e.Message}); offering LAN addresses only");
            return (0, LinkCandidatesFrom.Lan(LocalAddresses.All(), port));
        }
    }

    private DirectRouter EnsureRouter()
    {
        lock (_gate)
        {
            if (_router is not null) return _router;
            _router = new DirectRouter(_nat.LinkSocket);
            _router.Start();
            return _router;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return;
        _client.LinkFrames = null;
        await _stop.CancelAsync().ConfigureAwait(false);
        List<LinkAttempt> all;
        lock (_gate) all = [.. _attempts.Values];
        foreach (var a in all) await EndAsync(a, "quit").ConfigureAwait(false);
        await _relay.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}

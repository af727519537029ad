// The peer's real IContactLinks: introductions through the server, a link per contact over the relay at once, and an
// upgrade to a direct path found by connectivity checks, all without the transport noticing.
using System.Net;
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Links;
using P2PChat.Core.Links.Checks;
using P2PChat.Core.Links.Paths;
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
/// while the link engine (<see cref="LinkEstablisher"/>: ICE-style checks on every candidate pair, birthday probing when
/// exactly one side is symmetric) checks the peer's candidates from the shared IPv4 and IPv6 sockets. The controlling side (the
/// lower tag) connects and the other accepts and initiates the Noise XX handshake at once (<see cref="SecureLink"/>);
/// each side must prove the key the other expects. The link is up (event <c>link</c>, route relay) as soon as the handshake is done.</para>
/// <para><b>Upgrade</b>: when the engine nominates a pair, the path socket switches to it (event <c>link</c>, route
/// direct, via lan/reflexive/mapped/probed, IP version and the check's RTT) and path MTU discovery starts again on it. The transport connection and its streams carry on unchanged, so nothing is lost or duplicated. While
/// relayed, the controlling side asks for a fresh introduction and checks again (a NAT that changed, a new mapping, or
/// candidates the other side had not published yet when the first introduction was made): after 5 s, then 10 s, 20 s,
/// and every <see cref="UpgradeInterval"/> from then on (<see cref="UpgradeDelay"/>). The direct path's
/// <see cref="PathMonitor"/> sends consent checks as keepalives at the interval the measured NAT binding lifetime
/// allows (<see cref="KeepalivePolicy"/>) and declares the path dead 3.5 s after the first packet nothing answered: the
/// link then drops back to the relay (1200-byte packets, no MTU probing) and looks for a new path.</para>
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
    private long _discoveredAt;   // when the last NAT discovery ended (timestamp; under _gate)
    private CheckDemultiplexer? _checks4;
    private CheckDemultiplexer? _checks6;
    private CheckDemultiplexer? _checksTcp4;
    private bool _tcpTried;
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
        nat.MappingFound += OnMappingFound;
    }

    /// <summary>
    /// The router granted a port mapping after our candidates went out (discovery never waits for the router: one that
    /// does not answer costs 9 s): discover again, publish the mapped candidate (CANDIDATES), and ask for a fresh
    /// introduction for every relayed link, whose checks then try it.
    /// </summary>
    private void OnMappingFound(Core.Nat.PortMapping.IPortMapping mapping) => _ = Task.Run(async () =>
    {
        try
        {
            _log?.Invoke($"links: the router mapped {mapping.External}; publishing it as a candidate");
            Task<(byte Nat, IReadOnlyList<LinkCandidate> Candidates)> fresh;
            lock (_gate) fresh = _discovery = DiscoverAsync(_stop.Token);
            var (nat, candidates) = await fresh.ConfigureAwait(false);
            if (!_client.IsSignedIn) return;
            await _client.SendLinkFrameAsync(new LinkCandidates(Direct, nat, Publishable(candidates)), _stop.Token).ConfigureAwait(false);
            List<Tag> relayed;
            lock (_gate) relayed = [.. _attempts.Values.Where(a => !a.Ended && a.Link is not null && a.Active is null).Select(a => a.Peer)];
            foreach (var peer in relayed) RequestUpgrade(peer);
        }
        catch (Exception e) when (e is OperationCanceledException or CommandFailedException or ObjectDisposedException) { }
    });

    public DirectSetting Direct => _setting.Current;

    /// <summary>Check TCP paths beside UDP (a listener on the link port, <see cref="EnsureTcp"/>); off: UDP only.</summary>
    public bool TcpPaths { get; init; }

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
            var (nat, candidates) = await CandidatesForLinkAsync(peer, cancellationToken).ConfigureAwait(false);
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

    /// <summary>How long a link request waits for a NAT discovery still under way before it goes out with our LAN
    /// addresses only. STUN answers within a round trip where UDP works; where it is blocked, discovery gives up only
    /// after 7.75 s (<see cref="Core.Nat.RetransmitSchedule.Stun"/>), and a /msg sent soon after sign-in waited for
    /// that before its introduction was even asked for (lab scenario 6 settled on the relay after 17 s).</summary>
    public static readonly TimeSpan DiscoveryWait = TimeSpan.FromSeconds(1.5);

    /// <summary>
    /// Our candidates for a new link request: discovery's, or after <see cref="DiscoveryWait"/> the LAN addresses. In
    /// that case, once discovery ends with other candidates, a fresh introduction carries them (the checks of the
    /// first one go on meanwhile), unless the link has gone direct or ended by then.
    /// </summary>
    private async Task<(byte Nat, IReadOnlyList<LinkCandidate> Candidates)> CandidatesForLinkAsync(Tag peer, CancellationToken ct)
    {
        var (nat, lan, discovery) = await CandidatesWithinDiscoveryWaitAsync(ct).ConfigureAwait(false);
        if (discovery is null) return (nat, lan);
        _log?.Invoke($"links: NAT discovery still under way after {DiscoveryWait.TotalSeconds:0.#} s; asking for a link to {_client.Directory.NameOf(peer)} with our LAN addresses, the rest follows");
        _ = Task.Run(async () =>
        {
            try
            {
                var (_, found) = await discovery.WaitAsync(_stop.Token).ConfigureAwait(false);
                // Only what the LAN list could not offer (a reflexive, mapped or global IPv6 address) is worth a second
                // introduction: LAN addresses listed another way are nothing new, and a second, equally hopeless check
                // session would only hold back the link's final route.
                var added = found.Where(c => c.Kind != LinkCandidateKind.Lan && !lan.Contains(c)).ToList();
                if (added.Count == 0) return;
                lock (_gate)
                    if (!_attempts.TryGetValue(peer, out var a) || a.Ended || a.Active is not null) return;
                _log?.Invoke($"links: NAT discovery found {string.Join(' ', added.Select(c => $"{c.Kind.ToString().ToLowerInvariant()} {c.EndPoint}"))}; asking for a fresh introduction to {_client.Directory.NameOf(peer)}");
                RequestIntroduction(peer);
            }
            catch (Exception e) when (e is OperationCanceledException or CommandFailedException or ObjectDisposedException) { }
        });
        return (nat, lan);
    }

    /// <summary>Discovery's candidates, or after <see cref="DiscoveryWait"/> the LAN addresses and the discovery still
    /// running.</summary>
    private async Task<(byte Nat, IReadOnlyList<LinkCandidate> Candidates, Task<(byte Nat, IReadOnlyList<LinkCandidate> Candidates)>? Running)> CandidatesWithinDiscoveryWaitAsync(CancellationToken ct)
    {
        Task<(byte Nat, IReadOnlyList<LinkCandidate> Candidates)> discovery;
        lock (_gate) discovery = _discovery ??= DiscoverAsync(_stop.Token);
        var (found, fresh) = await BoundedRefresh.WithinAsync(discovery, default, DiscoveryWait, _time, ct).ConfigureAwait(false);
        return fresh
            ? (found.Nat, found.Candidates, null)
            : ((byte)0, LinkCandidatesFrom.Lan(LocalAddresses.All(), ((IPEndPoint)_nat.LinkSocket.LocalEndPoint).Port), discovery);
    }

    /// <summary>Starts making a link to <paramref name="peer"/> in the background (a PM is about to go through the server
    /// because there was none: the next one can go direct). Not again within <see cref="PrefetchBackoff"/> after a failure.
    /// <para>The link request is written on the caller's thread, before this returns, whenever our candidates are ready
    /// (the usual case: discovery ran at sign-in), so it reaches the server ahead of the PM the caller sends next. The
    /// server then delivers the peer's introduction ahead of that PM: the peer's read loop reads the PM's envelope
    /// (the first one sets up the end-to-end session, tens of milliseconds) only after its checks have started. In the
    /// other order the peer's checks started that much later, and ours, sent at once, hit its closed NAT meanwhile
    /// (docs/nat-traversal.md, "Time to link").</para></summary>
    public void Prefetch(Tag peer)
    {
        lock (_gate)
        {
            if (_attempts.ContainsKey(peer) || !_client.IsSignedIn) return;
            var now = _time.GetTimestamp();
            if (_prefetchFailed.TryGetValue(peer, out var failed) && _time.GetElapsedTime(failed, now) < PrefetchBackoff) return;
            _prefetchFailed[peer] = now;   // also stops a second prefetch while this one asks
        }
        _ = PrefetchAsync(peer);
    }

    /// <summary>Runs synchronously up to the LINK frame's write (see <see cref="Prefetch"/>), then in the background.</summary>
    private async Task PrefetchAsync(Tag peer)
    {
        try
        {
            await ConnectAsync(peer, _stop.Token).ConfigureAwait(false);
            lock (_gate) _prefetchFailed.Remove(peer);
        }
        catch (Exception e) when (e is ContactLinkUnavailableException or OperationCanceledException or ObjectDisposedException) { }
    }

    /// <summary>Sees every server frame first (on the client's read loop; never blocks).</summary>
    private bool OnFrame(Frame frame)
    {
        switch (frame)
        {
            case Intro when _stop.IsCancellationRequested:
                return true;   // shutting down: no new links
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
                if (existing.Expected.Equals(presented))
                {
                    StartChecks(existing, intro, rediscover: true);
                    if (existing.Link?.Connection is TransportConnection live) VerifyAlive(existing, live);
                }
                return null;
            }
            var path = new LinkPathSocket(VirtualPeer, packet => _relay.Send(intro.Peer, packet), _time);
            var endpoint = new UdpTransportEndpoint(path, LinkTransportOptions.For(acceptIncoming: !intro.Controlling), _time);
            attempt = new LinkAttempt(intro.Peer, name, presented, intro.Controlling, path, endpoint, _time.GetTimestamp());
            _attempts[intro.Peer] = attempt;
            _relay.Register(intro.Peer, path);
            StartChecks(attempt, intro);
            // No candidates of theirs (not published yet, e.g. just signed in, or withheld by either setting): no check
            // runs, so no session would ever say the route; the link's first event says it at once. The upgrade
            // schedule asks again (lab scenario 6 with TCP on, load 70: the reason came only with the re-introduction,
            // after two full NAT discoveries where STUN is blocked, 30 s after /link).
            if (intro.Candidates.Count == 0 && Direct != DirectSetting.Nobody)
                attempt.NoDirect = $"no direct path ({name}'s addresses were not in the introduction: not published yet, or not shared); staying on the relay";
        }
        _ = Task.Run(() => EstablishAsync(attempt));
        return null;
    }

    /// <summary>How long a live link has to answer a PING when an introduction comes for it (see <see cref="VerifyAlive"/>).</summary>
    public static readonly TimeSpan RestartCheck = TimeSpan.FromSeconds(3);

    /// <summary>
    /// An introduction for a contact we hold a live link to: either the other side wants a better path (its link is
    /// relayed) or it is a new process (restarted, or signed in elsewhere) that knows nothing of our link and is
    /// already handshaking a new one. Tell them apart by asking the old connection for a sign of life: its silence
    /// alarm is set to go off <see cref="RestartCheck"/> from now, which makes it PING at once; any answer disarms it.
    /// Silence: the old link is ended and a fresh introduction asked for, so the new process gets its link within
    /// seconds instead of after the old connection's idle timeout.
    /// </summary>
    private void VerifyAlive(LinkAttempt a, TransportConnection connection)
    {
        if (a.Verifying) return;
        a.Verifying = true;
        EventHandler? silent = null;
        silent = (_, _) =>
        {
            connection.PathSilent -= silent;
            _log?.Invoke($"links: {a.Name}'s old link did not answer after a new introduction (the peer restarted?); making a new one");
            _ = Task.Run(async () =>
            {
                await EndAsync(a, "the peer started a new link (its old one stopped answering)").ConfigureAwait(false);
                RequestIntroduction(a.Peer);
            });
        };
        connection.PathSilent += silent;
        try { connection.PathSilenceTimeout = connection.SinceLastReceived + RestartCheck; }
        catch (ObjectDisposedException) { connection.PathSilent -= silent; a.Verifying = false; return; }
        _ = Task.Run(async () =>
        {
            try { await Task.Delay(RestartCheck + RestartCheck, _time, _stop.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
            connection.PathSilent -= silent;
            try { connection.PathSilenceTimeout = Timeout.InfiniteTimeSpan; }
            catch (ObjectDisposedException) { }
            lock (_gate) a.Verifying = false;
        });
    }

    /// <summary>Asks the server for an introduction to <paramref name="peer"/> (no caller waits for it).</summary>
    private void RequestIntroduction(Tag peer) => _ = Task.Run(async () =>
    {
        try
        {
            var (nat, candidates) = await CandidatesAsync(_stop.Token).ConfigureAwait(false);
            await _client.SendLinkFrameAsync(new LinkRequest(peer, 0, Direct, nat, Publishable(candidates)), _stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or CommandFailedException or ObjectDisposedException) { }
    });

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
            // The side that accepts the transport connection starts the Noise handshake (HELLO leaves right behind its
            // Accept), and the side that connected responds, so it holds the link keys after FINISH, one and a half
            // round trips after its connection was accepted (LinkHandshakeDriver; docs/nat-traversal.md, "Time to link").
            if (a.Controlling)
            {
                connection = await a.Endpoint.ConnectAsync(a.Path.Virtual, timeout.Token).ConfigureAwait(false);
                a.Phases.Connected(_time.GetTimestamp());
                await SecureLink.RespondAsync(connection, me, a.Expected.Equals, timeout.Token).ConfigureAwait(false);
            }
            else
            {
                connection = await a.Endpoint.AcceptAsync(timeout.Token).ConfigureAwait(false);
                a.Phases.Connected(_time.GetTimestamp());
                await SecureLink.InitiateAsync(connection, me, a.Expected, timeout.Token).ConfigureAwait(false);
            }
            LinkEvent up;
            ContactLink link;
            string? phases;
            lock (_gate)
            {
                if (a.Ended) throw new OperationCanceledException();
                a.Phases.Secured(_time.GetTimestamp());
                phases = a.Active is not null ? a.Phases.ReportOnce(_time) : null;
                link = new ContactLink(connection, a.Peer, a.Expected, a.Route, _streams);
                a.Link = link;
                a.Since = _time.GetUtcNow();
                up = a.Up();
            }
            // The transport sees only the virtual peer address: the probing limit comes from the direct path's own
            // address (8 KiB packets towards loopback, 1472/1452 bytes elsewhere), the relay's from its packet size.
            (connection as TransportConnection)?.RestartPathMtuDiscovery(a.Active is { } active
                ? TransportConnection.DefaultMaxProbedPacketSize(active.Remote.EndPoint) : RelayPacketSize);
            link.Start();
            if (phases is not null) _log?.Invoke($"links: {a.Name}: {phases}");
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

    /// <summary>Starts the link engine on the introduction's candidates (under the lock); its nominated path moves the
    /// link off the relay (<see cref="OnChecked"/>).</summary>
    private void StartChecks(LinkAttempt a, Intro intro, bool rediscover = false)
    {
        if (intro.Candidates.Count == 0 || Direct == DirectSetting.Nobody) return;
        var cts = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        a.Checks.Add(cts);
        if (rediscover && a.Active is null) a.Phases.Reintroduced(_time.GetTimestamp());
        _ = Task.Run(() => CheckAsync(a, intro, cts, rediscover));
    }

    /// <param name="rediscover">a re-introduction of a live link: look at the NAT again first (<see cref="RefreshedCandidatesAsync"/>).</param>
    private async Task CheckAsync(LinkAttempt a, Intro intro, CancellationTokenSource cts, bool rediscover)
    {
        LinkEstablishment? result = null;
        string? failure = null;
        try
        {
            var (nat, candidates) = rediscover && a.Active is null
                ? await RefreshedCandidatesAsync(cts.Token).ConfigureAwait(false)
                : await CandidatesForChecksAsync(cts.Token).ConfigureAwait(false);
            var (v4, v6) = EnsureChecks();
            a.Phases.ChecksStarted(_time.GetTimestamp());
            var local = EngineCandidates.Local(Publishable(candidates), nat, v4, v6, EnsureTcp());
            var role = intro.Controlling ? CheckRole.Controlling : CheckRole.Controlled;
            _log?.Invoke($"links: checks with {a.Name} start ({role.ToString().ToLowerInvariant()}, session {Convert.ToHexStringLower(intro.Token.AsSpan(0, 4))}): " +
                $"ours {string.Join(' ', local.Bases.SelectMany(b => b.Candidates).Select(c => c.EndPoint))}, theirs {string.Join(' ', intro.Candidates.Select(c => c.EndPoint))}");
            var remote = EngineCandidates.Remote(intro);
            var checking = LinkEstablisher.EstablishAsync(local, remote, intro.Token, role, EngineCandidates.NewSocket,
                _time, cts.Token, EngineOptions, reachable => OnReachable(a, reachable), () => InUse(a));
            // Our first checks are out: the transport's Initial follows them to the peer's first IPv4 candidates on
            // speculation (LinkPathSocket.Speculate: half a round trip sooner than through the relay where it gets in).
            if (intro.Controlling && !rediscover && a.Link is null && Direct != DirectSetting.Nobody)
                a.Path.Speculate(v4, remote.Candidates.Where(c => c.Transport == CandidateTransport.Udp && !c.IsIpv6).Select(c => (EndPoint)c.EndPoint));
            result = await checking.ConfigureAwait(false);
        }
        catch (OperationCanceledException) { }   // the link ended, or another introduction's path was chosen
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or System.Net.Sockets.SocketException or CommandFailedException or ObjectDisposedException)
        {
            failure = e.Message;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            failure = e.Message;   // whatever went wrong, the attempt must end (else the link never asks again)
            _log?.Invoke($"links: checks with {a.Name} failed: {e}");
        }
        try { OnChecked(a, cts, result, failure); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _log?.Invoke($"links: moving the link with {a.Name} onto the checked path failed: {e}");
        }
    }

    /// <summary>
    /// A checked pair already reaches the peer (before any nomination): while the link is relayed, its packets race on
    /// that pair too (<see cref="LinkPathSocket.Race"/>), so the handshake started on the relay finishes at the direct
    /// path's pace, and the pair's packets from the peer are taken (<see cref="DirectRouter.Map"/>). Only pairs on the
    /// shared sockets are reported; the check authenticated the peer at that endpoint with the introduction's token.
    /// </summary>
    private void OnReachable(LinkAttempt a, ReachablePair pair)
    {
        lock (_gate)
        {
            if (a.Ended || a.Active is not null || _router is null || Direct == DirectSetting.Nobody) return;
            if (!a.Path.Race(pair.Socket, pair.Remote)) return;
            _router.Map(pair.Remote, a.Path);
            a.Phases.Reachable(_time.GetTimestamp());
        }
    }

    /// <summary>
    /// The direct path the link uses now as <see cref="PathRanker"/> sees it (null while relayed): alive only while its
    /// monitor says so (a suspect path is not defended). Read without the lock: the engine calls it under its own lock,
    /// and a reference read is atomic.
    /// </summary>
    private static PathSample? InUse(LinkAttempt a) => a.Active is { } path && a.Monitor is { } monitor
        ? new PathSample("in use", path.Via, monitor.Rtt ?? a.DirectRtt, monitor.Health == PathHealth.Alive)
        : null;

    /// <summary>The engine's options (tests may shorten them).</summary>
    public EstablishOptions EngineOptions { get; init; } = new();

    /// <summary>
    /// One engine session ended. A nominated path becomes the link's path, on both sides alike: the controlling side
    /// nominates a pair only when <see cref="PathRanker.Choose"/> prefers it to the live path in use (<see cref="InUse"/>:
    /// a better class, or a real RTT gain), so the link does not flap between two live paths; the controlled side
    /// follows the nomination. The path's socket carries the transport from now on, its
    /// <see cref="PathMonitor"/> keeps the NAT bindings open and notices its death, and path MTU discovery starts again
    /// for it. No path: the link stays on the relay, says why, and asks again later.
    /// </summary>
    private void OnChecked(LinkAttempt a, CancellationTokenSource cts, LinkEstablishment? result, string? failure)
    {
        if (result is { Statistics: var st })
            _log?.Invoke($"links: checks with {a.Name}: {(result.Path is { } p ? $"direct via {p.Via.Name()} to {p.Remote.EndPoint}" : result.Outcome)}; " +
                $"{st.PairsChecked} pairs, {st.ChecksSent} checks, {st.ResponsesSent} answers, {st.ProbesSent} probes, {st.SocketsOpened} sockets opened, {st.Rejected} rejected");
        else if (failure is not null) _log?.Invoke($"links: checks with {a.Name} could not run: {failure}");
        LinkEvent? changed = null;
        var path = result?.Path;
        PathMonitor? monitor = null;
        (EstablishedPath Path, PathMonitor? Monitor)? replaced = null;
        List<CancellationTokenSource> superseded = [];
        string? phases;
        lock (_gate)
        {
            a.Checks.Remove(cts);
            cts.Dispose();
            if (path is null || a.Ended || Direct == DirectSetting.Nobody)
            {
                path?.Dispose();
                bool last = a.Checks.Count == 0;
                if (!a.Ended && a.Active is null && last)
                {
                    a.Path.EndRace();   // packets from the raced pairs are no longer taken
                    _router?.Unmap(a.Path);
                }
                // The route is final once a session has failed: said at the first failure even while a later
                // introduction's session still runs (a re-introduction may first rediscover, 7.75 s where STUN is
                // never answered, then check 6.2 s more: the final event came ~14 s late), and again at the last one.
                if (!a.Ended && a.Active is null && path is null && (result is not null || failure is not null) && (last || a.NoDirect is null))
                {
                    a.NoDirect = $"no direct path ({result?.Outcome ?? failure}); staying on the relay";
                    if (a.Link is not null) changed = a.Up();
                }
                if (!a.Ended && a.Active is null && last) ScheduleUpgrade(a);
            }
            else
            {
                superseded = [.. a.Checks];   // canceled after the lock: a cancellation runs its session's end inline
                if (a.Active is { } old)
                {
                    replaced = (old, a.Monitor);
                    a.Lifetime = a.Monitor?.Lifetime ?? a.Lifetime;
                    _router?.Unmap(a.Path);
                }
                EnsureChecks();
                if (!path.SocketIsShared) path.Socket.Start(_router!);   // a birthday-probing socket: the transport runs on it
                a.Active = path;
                a.NoDirect = null;
                a.UpgradeTries = 0;   // if this path dies, the search starts again from the short delay
                a.DirectRtt = path.Rtt > TimeSpan.Zero ? path.Rtt : null;
                monitor = path.Monitor(_time, TestSocketFor(path), a.Lifetime);
                a.Monitor = monitor;
                var answered = path.ConsentAnswered;
                path.ConsentAnswered = (rtt, seen) =>
                {
                    answered?.Invoke(rtt, seen);
                    OnConsentAnswered(a, path, rtt);
                };
                monitor.HealthChanged += health =>
                {
                    if (health == PathHealth.Dead) FallBack(a, path, "the direct path stopped answering");
                };
                _router!.Unmap(a.Path);   // the raced pairs (see OnReachable): only the nominated one from now on
                _router.Map(path.Remote.EndPoint, a.Path);
                a.Path.UseDirect(path.Socket, path.Remote.EndPoint, monitor);
                a.Phases.Nominated(_time.GetTimestamp());
                if (a.Link is { } link)
                {
                    link.Route = LinkRoute.Direct;
                    // the new path may carry more than 1200 bytes (its own address says how much to probe for)
                    (link.Connection as TransportConnection)?.RestartPathMtuDiscovery(TransportConnection.DefaultMaxProbedPacketSize(path.Remote.EndPoint));
                    changed = a.Up();   // without an RTT when the check had none: a second event brings it
                }
                if (a.DirectRtt is null) _ = Task.Run(() => MeasureRttAsync(a, path));
            }
            phases = a.Link is not null && a.Active is not null ? a.Phases.ReportOnce(_time) : null;
        }
        if (phases is not null) _log?.Invoke($"links: {a.Name}: {phases}");
        foreach (var other in superseded)
        {
            try { other.Cancel(); }
            catch (ObjectDisposedException) { }   // that session ended meanwhile
        }
        if (replaced is { } r)
        {
            r.Monitor?.Dispose();
            r.Path.Dispose();
        }
        if (changed is not null) _events.Publish(changed);
    }

    /// <summary>A spare socket of the path's family for the binding-lifetime test (null when none can be opened).</summary>
    private static Core.Transport.Sockets.IDatagramSocket? TestSocketFor(EstablishedPath path)
    {
        if (path.Local.Transport != CandidateTransport.Udp) return null;   // a TCP path's NAT binding lives as long as the connection
        try { return EngineCandidates.NewSocket(path.Remote.IsIpv6 ? System.Net.Sockets.AddressFamily.InterNetworkV6 : System.Net.Sockets.AddressFamily.InterNetwork); }
        catch (System.Net.Sockets.SocketException) { return null; }
    }

    /// <summary>Consent checks on a path nominated without an RTT, every <see cref="RttProbeGap"/> until one is answered
    /// (<see cref="OnConsentAnswered"/> then publishes the event again, with the RTT), at most <see cref="RttProbes"/>.</summary>
    private async Task MeasureRttAsync(LinkAttempt a, EstablishedPath path)
    {
        try
        {
            for (int i = 0; i < RttProbes; i++)
            {
                lock (_gate) if (a.Active != path || a.DirectRtt is not null) return;
                path.SendConsentCheck();
                await Task.Delay(RttProbeGap, _time, _stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) { }
    }

    public const int RttProbes = 8;
    public static readonly TimeSpan RttProbeGap = TimeSpan.FromMilliseconds(250);

    /// <summary>A consent check on the link's path was answered: the first one gives a path found without an RTT its
    /// RTT (the controlled side may be nominated before its own check came back), and the event says it.</summary>
    private void OnConsentAnswered(LinkAttempt a, EstablishedPath path, TimeSpan rtt)
    {
        LinkEvent? changed = null;
        lock (_gate)
        {
            if (a.Active != path || a.DirectRtt is not null) return;
            a.DirectRtt = rtt;
            if (a.Link is not null) changed = a.Up();
        }
        if (changed is not null) _events.Publish(changed);
    }

    /// <summary>Moves a link back to the relay (its direct path died, or the setting became nobody).</summary>
    private void FallBack(LinkAttempt a, EstablishedPath path, string why)
    {
        LinkEvent? changed = null;
        PathMonitor? monitor;
        lock (_gate)
        {
            if (a.Active != path) return;
            monitor = a.Monitor;
            a.Lifetime = monitor?.Lifetime ?? a.Lifetime;
            a.Active = null;
            a.Monitor = null;
            a.DirectRtt = null;
            _router?.Unmap(a.Path);
            a.Path.UseRelay();
            if (!a.Ended && a.Link is { } link)
            {
                link.Route = LinkRoute.Relay;
                (link.Connection as TransportConnection)?.RestartPathMtuDiscovery(RelayPacketSize);   // the relay carries 1200-byte packets, no probing
                changed = a.Up() with { Reason = why };
            }
        }
        monitor?.Dispose();
        path.Dispose();
        if (changed is not null) _events.Publish(changed);
        ScheduleUpgrade(a);
    }

    /// <summary>The largest transport packet sent over the relay (RELAY frames carry at most 1500; the base size needs no probing).</summary>
    public const int RelayPacketSize = 1200;

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
    /// whose candidates are checked while the link carries on over the relay. Normally not while checks run, and after a
    /// fresh discovery; with <paramref name="justPublished"/> (our candidates just went to the server, see
    /// <see cref="PublishAsync"/>) even while checks run, which an introduction without our candidates may have started,
    /// and with those candidates as they are.</summary>
    private void RequestUpgrade(Tag peer, (byte Nat, IReadOnlyList<LinkCandidate> Candidates)? justPublished = null)
    {
        LinkAttempt? a;
        lock (_gate)
        {
            a = _attempts.GetValueOrDefault(peer);
            if (a is null || a.Ended || a.Active is not null || (a.Checks.Count > 0 && justPublished is null) || Direct == DirectSetting.Nobody) return;
            var now = _time.GetTimestamp();
            if (a.LastUpgradeAsk != 0 && _time.GetElapsedTime(a.LastUpgradeAsk, now) < UpgradeAskGap) return;
            a.LastUpgradeAsk = now;
        }
        _ = Task.Run(async () =>
        {
            try
            {
                // A fresh discovery first: the NAT may have changed (a new type, a new reflexive port, a mapping) since we
                // last looked, and the introduction must carry what is true now.
                var (nat, candidates) = justPublished ?? await RediscoverAsync(_stop.Token).ConfigureAwait(false);
                await _client.SendLinkFrameAsync(new LinkRequest(peer, 0, Direct, nat, Publishable(candidates)), _stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or CommandFailedException) { }
        });
    }

    private async Task EndAsync(LinkAttempt a, string reason)
    {
        ContactLink? link;
        (EstablishedPath? Path, PathMonitor? Monitor) active;
        List<CancellationTokenSource> checks;
        lock (_gate)
        {
            if (a.Ended) return;
            a.Ended = true;
            if (_attempts.GetValueOrDefault(a.Peer) == a) _attempts.Remove(a.Peer);
            checks = [.. a.Checks];
            active = (a.Active, a.Monitor);
            a.Active = null;
            a.Monitor = null;
            link = a.Link;
        }
        foreach (var c in checks)
        {
            try { c.Cancel(); }
            catch (ObjectDisposedException) { }   // that session ended meanwhile
        }
        active.Monitor?.Dispose();
        // The link closes while its paths still carry packets, so its CLOSE (after the peer acknowledged what was
        // written) reaches the peer; only then are the paths taken away.
        if (link is not null)
        {
            _events.Publish(new LinkEvent(a.Name, "down", null, null, null, null, null, reason));
            await link.DisposeAsync().ConfigureAwait(false);
        }
        _router?.Unmap(a.Path);
        _relay.Unregister(a.Peer, a.Path);
        active.Path?.Dispose();
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
            List<(LinkAttempt, EstablishedPath)> direct;
            lock (_gate) direct = [.. _attempts.Values.Where(a => a.Active is not null).Select(a => (a, a.Active!))];
            foreach (var (a, path) in direct) FallBack(a, path, "direct links are off (/set direct nobody)");
        }
        if (_client.IsSignedIn)
        {
            var (nat, candidates) = await CandidatesAsync(ct).ConfigureAwait(false);
            await _client.SendLinkFrameAsync(new LinkCandidates(setting, nat, Publishable(candidates)), ct).ConfigureAwait(false);
        }
    }

    private IReadOnlyList<LinkCandidate> Publishable(IReadOnlyList<LinkCandidate> candidates) => Direct == DirectSetting.Nobody ? [] : candidates;

    /// <summary>
    /// After each sign-in: discover (once) and publish our candidates and setting. Then every link still without a
    /// direct path asks for a fresh introduction at once, even while its checks run: it may have been introduced before
    /// our candidates were on the server (a friend's /msg right after our sign-in, while discovery ran), and then the
    /// other side has nothing to check and, behind a stateful firewall, drops our checks. Waiting for the upgrade
    /// schedule instead left such a link relayed for 5 s or more (lab scenario 7, 1 of 20 at load 40, session 10).
    /// </summary>
    private async Task PublishAsync()
    {
        try
        {
            var (nat, candidates) = await CandidatesAsync(_stop.Token).ConfigureAwait(false);
            EnsureTcp();   // listening before anyone is told our candidates, so a peer's first TCP check finds us
            var published = Publishable(candidates);
            await _client.SendLinkFrameAsync(new LinkCandidates(Direct, nat, published), _stop.Token).ConfigureAwait(false);
            // Compiles the link path's generic code now, off any link's critical path (once per process; LinkWarmUp).
            _ = Task.Run(() => LinkWarmUp.RunAsync(_log, _stop.Token));
            if (published.Count == 0) return;
            List<Tag> waiting;
            lock (_gate) waiting = [.. _attempts.Values.Where(a => !a.Ended && a.Active is null).Select(a => a.Peer)];
            if (waiting.Count > 0) _log?.Invoke($"links: candidates published; asking again for {waiting.Count} link(s) without a direct path");
            foreach (var peer in waiting) RequestUpgrade(peer, (nat, candidates));
        }
        catch (Exception e) when (e is OperationCanceledException or CommandFailedException or ObjectDisposedException)
        {
            _log?.Invoke($"links: could not publish candidates: {e.Message}");
        }
    }

    /// <summary>Discovers again (unless a discovery is running: then that one's result) and returns what it found.</summary>
    private Task<(byte Nat, IReadOnlyList<LinkCandidate> Candidates)> RediscoverAsync(CancellationToken ct)
    {
        lock (_gate)
        {
            if (_discovery is null || _discovery.IsCompleted) _discovery = DiscoverAsync(_stop.Token);
            return _discovery.WaitAsync(ct);
        }
    }

    /// <summary>A discovery that ended this recently is what is true now: a re-introduction checks with it as it is (the
    /// introduction we asked for after discovering, or the one asked for when we published: see <see cref="PublishAsync"/>).</summary>
    public static readonly TimeSpan FreshDiscovery = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Before checking a re-introduction (the link exists, so it is relayed and someone asked again): discover again and,
    /// when the NAT type or the candidates changed, publish them (CANDIDATES), so the next introduction carries what is
    /// true now. The other side asks again on its schedule (<see cref="UpgradeDelay"/>). The checks wait for that
    /// discovery at most <see cref="DiscoveryWait"/>, then start with the candidates found before (the other side's
    /// checks started when the introduction came: see <see cref="BoundedRefresh"/>); the discovery goes on and still
    /// publishes what changed. While the first discovery still runs, as for a new introduction; within
    /// <see cref="FreshDiscovery"/> of the last one, with its candidates and no new discovery.
    /// </summary>
    private async Task<(byte Nat, IReadOnlyList<LinkCandidate> Candidates)> RefreshedCandidatesAsync(CancellationToken ct)
    {
        Task<(byte Nat, IReadOnlyList<LinkCandidate> Candidates)>? previous;
        lock (_gate) previous = _discovery;
        if (previous is not { IsCompletedSuccessfully: true }) return await CandidatesForChecksAsync(ct).ConfigureAwait(false);
        var before = previous.Result;
        lock (_gate)
            if (_time.GetElapsedTime(_discoveredAt) < FreshDiscovery) return before;   // we asked, after a discovery; or we just published
        var refresh = RediscoverAsync(_stop.Token);
        _ = Task.Run(() => PublishIfChangedAsync(before, refresh));
        var (now, fresh) = await BoundedRefresh.WithinAsync(refresh, before, DiscoveryWait, _time, ct).ConfigureAwait(false);
        if (!fresh) _log?.Invoke($"links: NAT discovery still under way after {DiscoveryWait.TotalSeconds:0.#} s; checking with the candidates found before");
        return now;
    }

    private async Task PublishIfChangedAsync((byte Nat, IReadOnlyList<LinkCandidate> Candidates) before, Task<(byte Nat, IReadOnlyList<LinkCandidate> Candidates)> refresh)
    {
        try
        {
            var now = await refresh.ConfigureAwait(false);
            if ((before.Nat == now.Nat && before.Candidates.SequenceEqual(now.Candidates)) || !_client.IsSignedIn) return;
            await _client.SendLinkFrameAsync(new LinkCandidates(Direct, now.Nat, Publishable(now.Candidates)), _stop.Token).ConfigureAwait(false);
        }
        catch (CommandFailedException e) { _log?.Invoke($"links: could not publish new candidates: {e.Message}"); }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException) { }
    }

    /// <summary>
    /// Our side of a new introduction's checks: discovery's candidates, or after <see cref="DiscoveryWait"/> the LAN
    /// addresses (what our link request carried in that case). The checks used to wait for the whole discovery: where
    /// STUN is never answered that is 7.75 s after sign-in, and lab scenario 6 (a /msg about a second after sign-in)
    /// reached the relay's final route only after that wait plus the 6.2 s of hopeless checks, 13.2 s. A discovery that
    /// ends with more asks for a fresh introduction (<see cref="CandidatesForLinkAsync"/>), whose checks use it.
    /// </summary>
    private async Task<(byte Nat, IReadOnlyList<LinkCandidate> Candidates)> CandidatesForChecksAsync(CancellationToken ct)
    {
        var (nat, candidates, _) = await CandidatesWithinDiscoveryWaitAsync(ct).ConfigureAwait(false);
        return (nat, candidates);
    }

    private Task<(byte Nat, IReadOnlyList<LinkCandidate> Candidates)> CandidatesAsync(CancellationToken ct)
    {
        lock (_gate) _discovery ??= DiscoverAsync(_stop.Token);
        return _discovery.WaitAsync(ct);
    }

    private async Task<(byte Nat, IReadOnlyList<LinkCandidate> Candidates)> DiscoverAsync(CancellationToken ct)
    {
        int port = ((IPEndPoint)_nat.LinkSocket.LocalEndPoint).Port;
        if (LoopbackOnly) return ((byte)Core.Nat.MappingBehaviour.NoNat, LinkCandidatesFrom.Lan([], port));
        try
        {
            var found = await _nat.DiscoverAsync(waitForMapping: false, ct).ConfigureAwait(false);   // a mapping comes later: OnMappingFound
            return ((byte)found.Mapping, LinkCandidatesFrom.Nat(found, port));
        }
        catch (CommandFailedException e)
        {
            _log?.Invoke($"links: no NAT discovery ({e.Message}); offering LAN addresses only");
            return (0, LinkCandidatesFrom.Lan(LocalAddresses.All(), port));
        }
        finally
        {
            lock (_gate) _discoveredAt = _time.GetTimestamp();
        }
    }

    /// <summary>The check demultiplexers on the shared sockets (IPv6 only once discovery bound one), with the router
    /// behind them: checks to the engine, transport packets to their link.</summary>
    private (CheckDemultiplexer V4, CheckDemultiplexer? V6) EnsureChecks()
    {
        lock (_gate)
        {
            _router ??= new DirectRouter();
            if (_checks4 is null)
            {
                _checks4 = new CheckDemultiplexer(_nat.LinkSocket);
                _checks4.Start(_router);
            }
            if (_checks6 is null && !LoopbackOnly && _nat.LinkSocket6 is { } six)
            {
                _checks6 = new CheckDemultiplexer(six);
                _checks6.Start(_router);
            }
            return (_checks4, _checks6);
        }
    }

    /// <summary>
    /// The TCP base: a <see cref="Core.Links.Tcp.TcpLinkSocket"/> listening on the IPv4 link socket's port, behind its own
    /// check demultiplexer and the same router, so TCP checks and transport datagrams go where UDP ones go. Made once;
    /// null when the port is taken for TCP (then links check UDP only, as the log says).
    /// </summary>
    private CheckDemultiplexer? EnsureTcp()
    {
        lock (_gate)
        {
            if (!TcpPaths || _tcpTried || _stop.IsCancellationRequested) return _checksTcp4;
            _tcpTried = true;
            _router ??= new DirectRouter();
            var udp = (IPEndPoint)_nat.LinkSocket.LocalEndPoint;
            try
            {
                _checksTcp4 = new CheckDemultiplexer(Core.Links.Tcp.TcpLinkSocket.Listen(new IPEndPoint(udp.Address, udp.Port), _time));
                _checksTcp4.Start(_router);
            }
            catch (System.Net.Sockets.SocketException e)
            {
                _log?.Invoke($"links: no TCP listener on port {udp.Port} ({e.Message}); checking UDP paths only");
            }
            return _checksTcp4;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return;
        _nat.MappingFound -= OnMappingFound;
        await _stop.CancelAsync().ConfigureAwait(false);
        List<LinkAttempt> all;
        lock (_gate) all = [.. _attempts.Values];
        // Relayed packets keep coming in until every link has closed (their CLOSEs need the peers' acknowledgements).
        await Task.WhenAll(all.Select(a => EndAsync(a, "quit"))).ConfigureAwait(false);
        _client.LinkFrames = null;
        await _relay.DisposeAsync().ConfigureAwait(false);
        lock (_gate) _checksTcp4?.Dispose();   // the UDP sockets belong to PeerNat; the TCP listener is ours
        _stop.Dispose();
    }
}

// The state machine of one introduction's checks on this side: the checklist, pacing, triggered checks, probing, nomination.
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using P2PChat.Core.Links.Paths;
using P2PChat.Core.Transport.Sockets;

namespace P2PChat.Core.Links.Checks;

/// <summary>
/// Runs on one periodic timer (every <see cref="EstablishOptions.Pacing"/>, Ta) and the sockets' receive callbacks,
/// under one lock. At the start the first check of up to <see cref="EstablishOptions.InitialChecks"/> pairs leaves at once. A request from the peer on a pair not yet succeeded sends a triggered check on it at once (at most
/// one per pair per Ta). Each tick: retransmit due checks (200 ms doubling to 1.6 s, 6 sends over 6.2 s, then the pair
/// fails), send one new check (a queued triggered one first, else the highest-priority waiting pair), send the tick's share of birthday probes
/// (easy side), and, on the controlling side, nominate when due (the succeeded pair <see cref="PathRanker"/> ranks best). Session states:
/// <code>
/// Checking ──(controlling: a pair succeeded — our check was answered, or the peer's request arrived on it — then
///    │        wait Ta for better ones; nominate the highest-priority succeeded pair; the nomination's answer)──► Selected
///    │       (controlled: an authenticated nominate request arrives on a pair)───────────────────► Selected
///    └──(every pair failed, the deadline, or cancellation)──────────────────────────────────────► Failed
/// </code>
/// Selected keeps the session registered on the chosen socket only: it still answers the peer's checks (nomination
/// retransmits, the path monitor's consent checks) and sends consent checks for the monitor. Every datagram is verified
/// (MAC, session id, the peer's role bit) before it touches state; answers are 64 bytes like the request and at most
/// <see cref="EstablishOptions.MaxResponsesPerSecond"/>; peer-reflexive pairs are capped.
/// </summary>
internal sealed class CheckSession : ICheckHandler, IDisposable
{
    private readonly object _gate = new();
    private readonly CheckKeys _keys;
    private readonly CheckRole _role;
    private readonly EstablishOptions _options;
    private readonly TimeProvider _time;
    private readonly IReadOnlyList<Candidate> _localCandidates;
    private readonly HashSet<IPEndPoint> _remoteCandidates;
    private readonly List<CheckDemultiplexer> _shared = [];
    private readonly List<CheckDemultiplexer> _opened = [];
    private readonly Dictionary<CheckDemultiplexer, Candidate> _hostOf = [];
    private readonly List<CandidatePair> _pairs = [];
    private readonly List<CandidatePair> _triggered = [];
    private readonly Dictionary<ulong, Transaction> _transactions = [];
    private readonly TaskCompletionSource<LinkEstablishment> _result = new();
    /// <summary>Completes <see cref="_result"/>; set under the lock, run after it is released (continuations run inline).</summary>
    private Action? _completion;
    private readonly ITimer _timer;
    private readonly long _deadline;
    private long _nominateAt = long.MaxValue;
    private CandidatePair? _nominating;
    private CandidatePair? _selected;
    private bool _finished;
    private CancellationTokenRegistration _cancel;
    private bool _disposed;
    private int _peerReflexive;
    // Birthday probing, easy side.
    private readonly CheckDemultiplexer? _probeBase;
    private readonly IPAddress? _probeTarget;
    private int[] _probePorts = [];
    private int _sweeps;
    private int _probeIndex;
    // Binding-lifetime test (see StartLifetimeTest).
    private CheckDemultiplexer? _testSocket;
    private IPEndPoint? _testSeenAs;
    private long _testLastOutbound;
    private TimeSpan _testGap;
    private bool _testAwaiting;
    private ITimer? _testTimer;
    private Action<TimeSpan, bool>? _testResult;
    // Rate limit of answers.
    private long _windowStart;
    private int _answersInWindow;
    // Statistics.
    private int _checksSent, _responsesSent, _probesSent, _rejected;

    private sealed record Transaction(CandidatePair? Pair, CheckDemultiplexer Socket, IPEndPoint To, long SentAt, bool Nominate);

    public CheckSession(LocalCandidates local, CandidateSet remote, ReadOnlySpan<byte> token, CheckRole role,
        Func<AddressFamily, IDatagramSocket> socketFactory, TimeProvider time, EstablishOptions options)
    {
        _keys = new CheckKeys(token);
        _role = role;
        _options = options;
        _time = time;
        _localCandidates = [.. local.Bases.SelectMany(b => b.Candidates)];
        _remoteCandidates = [.. remote.Candidates.Select(c => c.EndPoint)];
        _deadline = time.GetTimestamp() + Ticks(options.Deadline);
        foreach (var b in local.Bases)
        {
            if (!b.Socket.Register(_keys.SessionId, this)) throw new InvalidOperationException("this introduction is already being checked on that socket");
            _shared.Add(b.Socket);
            var host = b.Candidates.FirstOrDefault(c => c.Kind == CandidateKind.Host) ?? new Candidate(CandidateKind.Host, (IPEndPoint)b.Socket.LocalEndPoint);
            _hostOf[b.Socket] = host;
            // A UDP base pairs with the peer's UDP candidates, a TCP base (Core/Links/Tcp) with its TCP ones (RFC 6544).
            foreach (var r in remote.Candidates.Where(c => CandidatePairing.CanPair(host, c)))
                AddPair(b.Socket, r, probed: false);
        }
        _pairs.Sort((a, b) => b.Priority.CompareTo(a.Priority));

        var side = BirthdayProbing.Choose(local.ToCandidateSet(), remote);
        var easyReflexive = remote.Candidates.FirstOrDefault(c => c.Kind == CandidateKind.Reflexive && !c.IsIpv6 && c.Transport == CandidateTransport.Udp);
        if (side == BirthdayProbing.Side.Hard && easyReflexive is not null)
        {
            for (int i = 0; i < options.BirthdaySockets; i++)
            {
                var socket = new CheckDemultiplexer(socketFactory(AddressFamily.InterNetwork));
                _opened.Add(socket);
                socket.Register(_keys.SessionId, this);
                _hostOf[socket] = new Candidate(CandidateKind.Host, (IPEndPoint)socket.LocalEndPoint);
                var pair = AddPair(socket, easyReflexive, probed: true)!;
                pair.State = PairState.Failed;   // one opening packet each (below); revived only by the peer's probe
            }
        }
        else if (side == BirthdayProbing.Side.Easy && easyReflexive is not null
            && _shared.FirstOrDefault(s => _hostOf[s].EndPoint.AddressFamily == AddressFamily.InterNetwork && _hostOf[s].Transport == CandidateTransport.Udp) is { } probeBase)
        {
            _probeBase = probeBase;
            _probeTarget = easyReflexive.EndPoint.Address;
            _probePorts = BirthdayProbing.PortOrder(options.Random ?? Random.Shared, options.BirthdayProbes);
        }
        _timer = time.CreateTimer(_ => Tick(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public Task<LinkEstablishment> Result => _result.Task;

    /// <summary>
    /// Called (after the lock, on the receive thread) the first time a pair on one of the caller's shared sockets is
    /// known to carry packets to the peer: our check on it was answered, or the peer's authenticated check arrived on it
    /// (its NAT and ours hold the bindings our answer used). Before nomination, so the caller can race its first
    /// packets on it (<see cref="LinkEstablisher.EstablishAsync"/>'s <c>reachable</c>). At most
    /// <see cref="MaxReachableReports"/> per session.
    /// </summary>
    public Action<ReachablePair>? Reachable { get; set; }

    /// <summary>
    /// Controlling side: the path the link uses now, as the path monitor sees it (null: none, relayed). A succeeded pair
    /// is nominated only when <see cref="PathRanker.Choose"/> would switch to it from this one (a better class, or at
    /// least 20 % and 3 ms lower RTT in the same class), so a re-introduction while a good path lives does not flap the
    /// link; a pair held back is nominated later if its RTT, or the current path's health, changes the verdict. Called
    /// under the session's lock: it must not take locks that call into the session.
    /// </summary>
    public Func<PathSample?>? Current { get; set; }
    private bool _heldBack;

    /// <summary>Reachable pairs reported per session, at most (a bound on what a peer can make us send to).</summary>
    public const int MaxReachableReports = 4;
    private readonly List<ReachablePair> _reachable = [];
    private List<ReachablePair>? _reachableToReport;

    /// <summary>Called when our consent/keepalive check is answered on the selected path: RTT, and the address the peer saw it from.</summary>
    public Action<TimeSpan, IPEndPoint?>? ConsentAnswered { get; set; }

    /// <summary>Called when an authenticated request from the peer arrives on the selected path.</summary>
    public Action? PeerActive { get; set; }

    public void Start(CancellationToken ct)
    {
        lock (_gate)
        {
            long now = _time.GetTimestamp();
            foreach (var pair in _pairs.Where(p => p.Probed)) Send(pair, nominate: false, now);
            foreach (var pair in _pairs.Where(p => p.State == PairState.Waiting).Take(_options.InitialChecks).ToList())
            {
                pair.State = PairState.InProgress;   // the first check of each pair at once (EstablishOptions.InitialChecks)
                pair.Attempts = 0;
                Send(pair, nominate: false, now);
            }
        }
        _started = _time.GetTimestamp();
        bool probing = _probeBase is not null || _opened.Count > 0;
        _tcpNominableAt = _time.GetTimestamp() + Ticks(_options.TcpGrace + (probing ? _options.ProbePacing * _options.BirthdayProbes : TimeSpan.Zero));
        _cancel = ct.Register(() => Finish(null, "canceled", canceled: ct));
        _timer.Change(TimeSpan.Zero, _options.Pacing);
    }

    /// <summary>Sends one consent check on the selected path (the path monitor's probe and keepalive).</summary>
    public void SendConsentCheck()
    {
        lock (_gate)
        {
            if (_selected is null || _disposed) return;
            if (_transactions.Count > 64) _transactions.Clear();   // unanswered consent checks of a dead path
            Send(_selected, nominate: false, _time.GetTimestamp());
        }
    }

    private CandidatePair? AddPair(CheckDemultiplexer socket, Candidate remote, bool probed)
    {
        if (_pairs.Any(p => p.Socket == socket && p.Remote.EndPoint.Equals(remote.EndPoint))) return null;
        var local = _hostOf[socket];
        ulong priority = _role == CheckRole.Controlling ? CandidatePriority.Pair(local.Priority, remote.Priority) : CandidatePriority.Pair(remote.Priority, local.Priority);
        var pair = new CandidatePair(socket, local, remote, priority, probed);
        _pairs.Add(pair);
        return pair;
    }

    private void Tick()
    {
        try { TickLocked(); }
        finally { Complete(); }
    }

    private void TickLocked()
    {
        lock (_gate)
        {
            if (_finished) return;
            long now = _time.GetTimestamp();
            if (now >= _deadline)
            {
                FinishLocked(null, _heldBack
                    ? "the current path is kept: no checked pair is a real gain over it"
                    : $"no candidate pair answered within {_options.Deadline.TotalSeconds:0.#} s ({_pairs.Count} pairs, {_checksSent} checks, {_probesSent} probes)");
                return;
            }
            foreach (var pair in _pairs)
            {
                if (pair.State != PairState.InProgress || pair.NextSend > now) continue;
                if (pair.Attempts >= _options.CheckAttempts) pair.State = PairState.Failed;
                else Send(pair, nominate: false, now);
            }
            if (AllFailed())
            {
                FinishLocked(null, $"every candidate pair failed ({_pairs.Count} pairs, {_checksSent} checks, {_probesSent} probes, " +
                    $"{TimeSpan.FromSeconds((now - _started) / (double)_time.TimestampFrequency).TotalSeconds:0.#} s)");
                return;
            }
            if (_nominating is { } nominated && nominated.NextSend <= now)
            {
                if (nominated.Attempts >= _options.CheckAttempts) { nominated.State = PairState.Failed; _nominating = null; _nominateAt = now; }
                else Send(nominated, nominate: true, now);
            }

            var next = _triggered.FirstOrDefault();
            if (next is not null) _triggered.RemoveAt(0);
            else next = _pairs.FirstOrDefault(p => p.State == PairState.Waiting);
            if (next is not null)
            {
                next.State = PairState.InProgress;
                next.Attempts = 0;
                Send(next, nominate: false, now);
            }

            if (_probeBase is not null && _probeTarget is not null)
            {
                // A sweep that found nothing runs once more, in a new order: under load the hard side's 256 sockets
                // (each with its receive thread) can take longer to open than our whole sweep, which then probes
                // ports where no mapping exists yet (lab scenario 9 at load 65-76: 0 answers to 2,048 probes, direct
                // only 20-30 s later at the next re-introduction).
                if (_probeIndex >= _probePorts.Length && _sweeps + 1 < _options.BirthdaySweeps && !_pairs.Any(p => p.Probed))
                {
                    _sweeps++;
                    _probePorts = BirthdayProbing.PortOrder(_options.Random ?? Random.Shared, _options.BirthdayProbes);
                    _probeIndex = 0;
                }
                int share = Math.Max(1, (int)(_options.Pacing / _options.ProbePacing));
                for (int i = 0; i < share && _probeIndex < _probePorts.Length; i++, _probeIndex++)
                {
                    var to = new IPEndPoint(_probeTarget, _probePorts[_probeIndex]);
                    if (_remoteCandidates.Contains(to)) continue;
                    SendRequest(_probeBase, to, null, CheckFlags.Probe, now);
                    _probesSent++;
                }
            }

            if (_role == CheckRole.Controlling && _nominating is null && now >= _nominateAt)
            {
                var best = BestSucceeded(now);
                if (best is null) _nominateAt = _pairs.Any(p => p.State == PairState.Succeeded) ? _tcpNominableAt : long.MaxValue;
                else if (!RealGain(best))
                {
                    _heldBack = true;   // looked at again on the next answer, and at every tick while the current path is not alive
                    _nominateAt = now + Ticks(_options.CheckRetransmit);
                }
                else
                {
                    _nominating = best;
                    best.Attempts = 0;
                    Send(best, nominate: true, now);
                }
            }
        }
    }

    private void Send(CandidatePair pair, bool nominate, long now)
    {
        var flags = (nominate ? CheckFlags.Nominate : CheckFlags.None) | (pair.Probed ? CheckFlags.Probe : CheckFlags.None);
        SendRequest(pair.Socket, pair.Remote.EndPoint, pair, flags, now);
        pair.Attempts++;
        pair.NextSend = now + Ticks(RetransmitWait(pair.Attempts));
    }

    private void SendRequest(CheckDemultiplexer socket, IPEndPoint to, CandidatePair? pair, CheckFlags flags, long now, IPEndPoint? address = null)
    {
        ulong id = NewTransactionId();
        if (_role == CheckRole.Controlling) flags |= CheckFlags.Controlling;
        bool ipv6 = to.AddressFamily == AddressFamily.InterNetworkV6 && !to.Address.IsIPv4MappedToIPv6;
        var packet = new CheckPacket(CheckPacketType.Request, flags, _keys.SessionId, id, CandidatePriority.For(CandidateKind.PeerReflexive, ipv6), address ?? to);
        _transactions[id] = new Transaction(pair, socket, to, now, flags.HasFlag(CheckFlags.Nominate));
        Seal(packet, socket, to);
        if (pair is not null) _checksSent++;
    }

    private void Seal(CheckPacket packet, CheckDemultiplexer socket, IPEndPoint to)
    {
        Span<byte> bytes = stackalloc byte[CheckCodec.Length];
        _keys.Seal(packet, bytes);
        socket.Send(bytes, to);
    }

    private TimeSpan RetransmitWait(int attempts)
    {
        var wait = _options.CheckRetransmit * Math.Pow(2, Math.Min(attempts - 1, 16));
        return wait > _options.MaxRetransmit ? _options.MaxRetransmit : wait;
    }

    public void OnCheckDatagram(ReadOnlySpan<byte> datagram, IPEndPoint remote, CheckDemultiplexer socket)
    {
        Action? after = null;
        List<ReachablePair>? reached = null;
        lock (_gate)
        {
            if (_disposed) return;
            if (!_keys.Verify(datagram) || !CheckCodec.TryParse(datagram, out var packet, out _)
                || packet.Flags.HasFlag(CheckFlags.Controlling) == (_role == CheckRole.Controlling))
            {
                _rejected++;   // a stranger's, a forgery, or our own packet reflected back: no state, no answer
                return;
            }
            remote = Normal(remote);
            long now = _time.GetTimestamp();
            after = packet.Type == CheckPacketType.Request ? OnRequest(packet, remote, socket, now) : OnResponse(packet, remote, socket, now);
            reached = _reachableToReport;
            _reachableToReport = null;
        }
        Complete();
        if (reached is not null && Reachable is { } report)
            foreach (var pair in reached) report(pair);
        after?.Invoke();
    }

    /// <summary>Under the lock: remembers that <paramref name="pair"/> carries packets (reported once; UDP pairs on shared sockets only).</summary>
    private void Reached(CandidatePair pair)
    {
        if (_finished || Reachable is null || !_shared.Contains(pair.Socket) || _reachable.Count >= MaxReachableReports) return;
        if (pair.Local.Transport != CandidateTransport.Udp || pair.Remote.Transport != CandidateTransport.Udp) return;   // datagrams race on UDP pairs only
        var reachable = new ReachablePair(pair.Socket, pair.Remote.EndPoint);
        if (_reachable.Contains(reachable)) return;
        _reachable.Add(reachable);
        (_reachableToReport ??= []).Add(reachable);
    }

    private Action? OnRequest(CheckPacket request, IPEndPoint remote, CheckDemultiplexer socket, long now)
    {
        if (!MayAnswer(now)) { _rejected++; return null; }
        var flags = (request.Flags & CheckFlags.Nominate) | (_role == CheckRole.Controlling ? CheckFlags.Controlling : CheckFlags.None);
        Span<byte> bytes = stackalloc byte[CheckCodec.Length];
        _keys.Seal(new CheckPacket(CheckPacketType.Response, flags, _keys.SessionId, request.TransactionId, 0, remote), bytes);
        socket.Send(bytes, remote);
        _responsesSent++;

        if (_finished)
        {
            if (socket == _testSocket) return TestPacketArrived(now);
            if (_selected is not { } s || s.Socket != socket || !s.Remote.EndPoint.Equals(remote)) return null;
            if (request.Flags.HasFlag(CheckFlags.SendTo) && request.Address is { } target && Normal(target).Address.Equals(remote.Address) && MayAnswer(now))
                SendRequest(socket, Normal(target), null, CheckFlags.Probe, now);
            return PeerActive;
        }

        var pair = _pairs.FirstOrDefault(p => p.Socket == socket && p.Remote.EndPoint.Equals(remote));
        if (pair is null)
        {
            if (_peerReflexive >= _options.MaxPeerReflexive) return null;
            _peerReflexive++;
            bool probed = _opened.Contains(socket) || (_probeTarget is not null && remote.Address.Equals(_probeTarget) && !_remoteCandidates.Contains(remote));
            pair = AddPair(socket, new Candidate(CandidateKind.PeerReflexive, remote), probed)!;
        }
        pair.ReachedAt = request.Address;
        if (request.Flags.HasFlag(CheckFlags.Probe)) pair.Probed = true;   // a birthday probe landed on this pair's mapping
        Reached(pair);
        if (pair.State != PairState.Succeeded)
        {
            // Triggered check (RFC 8445 7.3.1.4), sent at once: the peer's request just opened its NAT for our answer,
            // so our check on the reverse direction now gets through. At most one per pair per Ta, so a replayed
            // request cannot make us send more than we receive.
            if (now - pair.LastTriggered >= Ticks(_options.Pacing))
            {
                pair.LastTriggered = now;
                _triggered.Remove(pair);
                pair.State = PairState.InProgress;
                pair.Attempts = 0;
                Send(pair, nominate: false, now);
            }
            else if (pair.State is PairState.Waiting or PairState.Failed && !_triggered.Contains(pair))
            {
                pair.State = PairState.Waiting;
                _triggered.Add(pair);
            }
        }
        if (request.Flags.HasFlag(CheckFlags.Nominate) && _role == CheckRole.Controlled)
            FinishLocked(pair, "direct");
        else if (_role == CheckRole.Controlling && pair.State != PairState.Succeeded)
        {
            // The peer's request arrived on this pair, so an answer to its source gets through its NAT: the pair may be
            // nominated now; the nomination's own answer then proves both directions (and measures the RTT). This saves
            // the round trip of waiting for our triggered check's answer.
            pair.State = PairState.Succeeded;
            _triggered.Remove(pair);
            if (_nominating is null) _nominateAt = Math.Min(_nominateAt, now + Ticks(_options.Pacing));
        }
        return null;
    }

    private Action? OnResponse(CheckPacket response, IPEndPoint remote, CheckDemultiplexer socket, long now)
    {
        if (!_transactions.Remove(response.TransactionId, out var tx) || tx.Socket != socket || !tx.To.Equals(remote))
        {
            _rejected++;   // not ours, stale, replayed, or from another address than asked (RFC 8445 7.2.5.2.1)
            return null;
        }
        var rtt = TimeSpan.FromSeconds((now - tx.SentAt) / (double)_time.TimestampFrequency);
        if (_finished)
        {
            if (socket == _testSocket)
            {
                if (_testConfirmed || response.Address is not { } seen || !Normal(seen).Equals(_testSeenAs)) return null;
                _testConfirmed = true;
                ScheduleTest(now);
                return null;
            }
            if (_selected is { } chosen && chosen.Socket == socket && chosen.Remote.EndPoint.Equals(remote))
            {
                chosen.SeenAs ??= response.Address;
                if (_pendingTest is { } pending && chosen.SeenAs is not null)
                {
                    _pendingTest = null;
                    StartLifetimeTestLocked(pending.Socket, pending.Result);
                }
            }
            var answered = ConsentAnswered;
            return _selected is { } s && s.Socket == socket && s.Remote.EndPoint.Equals(remote) && answered is not null ? () => answered(rtt, response.Address) : null;
        }
        var pair = tx.Pair ?? _pairs.FirstOrDefault(p => p.Socket == socket && p.Remote.EndPoint.Equals(remote))
            ?? AddPair(socket, new Candidate(CandidateKind.PeerReflexive, remote), probed: true)!;
        pair.State = PairState.Succeeded;
        pair.SeenAs = response.Address;
        _triggered.Remove(pair);
        pair.Rtt = pair.Rtt is { } known && known < rtt ? known : rtt;
        Reached(pair);
        if (_role != CheckRole.Controlling) return null;
        if (tx.Nominate && pair == _nominating) FinishLocked(pair, "direct");
        else if (_nominating is null) _nominateAt = Math.Min(_nominateAt, now + Ticks(_options.Pacing));
        return null;
    }

    /// <summary>
    /// Measures how long our NAT keeps an idle binding, on a spare socket T so the selected path never risks it
    /// (RFC 5780 section 4.6's idea, with the peer as the far end). T's public address is predicted as our public
    /// address on the path with T's own port (NATs that preserve ports, like Linux MASQUERADE and most home routers);
    /// where the prediction fails the test ends without a result. Sequence:
    /// <code>
    /// path: check SEND-TO M (M = our public IP : T's port)  → the peer sends to M: opens its own NAT's filter for M
    /// 200 ms later: T ──check──► the peer's path address      (creates binding M at our NAT; the answer confirms M)
    /// repeat for silence g = 5, 10, 15, 20, 25, 30 s (T sends nothing meanwhile):
    ///   when T has been silent for g: path: check SEND-TO M  → the peer sends a check to M:
    ///     it reaches T within 2 s → M survived g (T answers, refreshing M); next g
    ///     nothing within 2 s      → M expired within g; the test ends
    /// </code>
    /// A peer sends to SEND-TO addresses only on the IP address the request came from (ours), rate-limited, 64
    /// bytes each: it cannot be aimed at a third party. <paramref name="result"/> gets (g, survived) for each step.
    /// </summary>
    public void StartLifetimeTest(IDatagramSocket socket, Action<TimeSpan, bool> result)
    {
        try { StartLifetimeTestLocked(socket, result); }
        finally { Complete(); }   // a socket refused is closed after the lock
    }

    private void StartLifetimeTestLocked(IDatagramSocket socket, Action<TimeSpan, bool> result)
    {
        lock (_gate)
        {
            if (_selected is not { } selected || _disposed || _testSocket is not null) { CloseLater(socket); return; }
            if (selected.SeenAs is not { } seenAs)
            {
                // Our public address on the path is not known yet (the controlled side may have been nominated before its
                // own check came back): ask with a consent check and start once its answer has told us.
                Send(selected, nominate: false, _time.GetTimestamp());
                _pendingTest = (socket, result);
                return;
            }
            _testSocket = new CheckDemultiplexer(socket);
            _testSocket.Register(_keys.SessionId, this);
            _testResult = result;
            _testSeenAs = new IPEndPoint(seenAs.Address, ((IPEndPoint)socket.LocalEndPoint).Port);
            _testTimer = _time.CreateTimer(_ => TestTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            long now = _time.GetTimestamp();
            SendRequest(selected.Socket, selected.Remote.EndPoint, null, CheckFlags.SendTo, now, _testSeenAs);
            _testOpening = true;
            _testTimer.Change(OpeningDelay, Timeout.InfiniteTimeSpan);
        }
    }

    private static readonly TimeSpan OpeningDelay = TimeSpan.FromMilliseconds(200);
    private bool _testOpening;
    private (IDatagramSocket Socket, Action<TimeSpan, bool> Result)? _pendingTest;
    private bool _testConfirmed;

    /// <summary>The silences tested, in order.</summary>
    public static readonly TimeSpan[] LifetimeTestGaps = [.. new[] { 5, 10, 15, 20, 25, 30 }.Select(s => TimeSpan.FromSeconds(s))];
    private static readonly TimeSpan LifetimeTestWait = TimeSpan.FromSeconds(2);

    private void ScheduleTest(long now)
    {
        int next = Array.IndexOf(LifetimeTestGaps, _testGap) + 1;
        if (next >= LifetimeTestGaps.Length) { EndTest(); return; }
        _testGap = LifetimeTestGaps[next];
        _testAwaiting = false;
        var due = _testGap - TimeSpan.FromSeconds((now - _testLastOutbound) / (double)_time.TimestampFrequency);
        _testTimer?.Change(due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
    }

    private void TestTimer()
    {
        Action? report = null;
        lock (_gate)
        {
            if (_testSocket is null || _selected is null || _testSeenAs is null) return;
            long now = _time.GetTimestamp();
            if (_testOpening)
            {
                _testOpening = false;
                _testLastOutbound = now;
                SendRequest(_testSocket, _selected.Remote.EndPoint, null, CheckFlags.Probe, now);
                _testTimer?.Change(LifetimeTestWait, Timeout.InfiniteTimeSpan);   // no confirmation by then: unpredictable port
                return;
            }
            if (!_testConfirmed) { EndTest(); return; }
            if (_testAwaiting)
            {
                var gap = _testGap;
                var result = _testResult;
                EndTest();
                report = () => result?.Invoke(gap, false);
            }
            else
            {
                _testAwaiting = true;
                SendRequest(_selected.Socket, _selected.Remote.EndPoint, null, CheckFlags.SendTo, now, _testSeenAs);
                _testTimer?.Change(LifetimeTestWait, Timeout.InfiniteTimeSpan);
            }
        }
        Complete();   // the test socket, when the test ended
        report?.Invoke();
    }

    /// <summary>The peer's check reached the test socket (called under the lock; the answer already went out from it).</summary>
    private Action? TestPacketArrived(long now)
    {
        if (!_testAwaiting) return null;
        var gap = _testGap;
        var result = _testResult;
        _testLastOutbound = now;   // our answer refreshed the binding
        ScheduleTest(now);
        return () => result?.Invoke(gap, true);
    }

    private void EndTest()
    {
        _testTimer?.Dispose();
        _testTimer = null;
        if (_testSocket is { } socket)
        {
            socket.Unregister(_keys.SessionId, this);
            CloseLater(socket);
        }
        _testSocket = null;
        _testAwaiting = false;
        if (_pendingTest is { } pending) CloseLater(pending.Socket);
        _pendingTest = null;
    }

    private bool MayAnswer(long now)
    {
        if (now - _windowStart >= _time.TimestampFrequency)
        {
            _windowStart = now;
            _answersInWindow = 0;
        }
        return ++_answersInWindow <= _options.MaxResponsesPerSecond;
    }

    /// <summary>Whether nominating <paramref name="pair"/> is worth leaving the current live path for (see <see cref="Current"/>).</summary>
    private bool RealGain(CandidatePair pair)
    {
        if (Current?.Invoke() is not { Alive: true } current) return true;
        var checkedPath = new PathSample($"checked {pair.Local.EndPoint}>{pair.Remote.EndPoint}", ViaOf(pair), pair.Rtt, Alive: true);
        var inUse = current with { Id = "in use" };
        return PathRanker.Choose(inUse.Id, [inUse, checkedPath])?.Id != inUse.Id;
    }

    /// <summary>
    /// The pair to nominate: <see cref="PathRanker.Best"/> over the succeeded pairs (class first: LAN, direct, mapped;
    /// then the lower check RTT; measured before unmeasured), ties broken by pair priority (the sample id orders by it).
    /// </summary>
    private CandidatePair? BestSucceeded(long now)
    {
        var byId = new Dictionary<string, CandidatePair>();
        var samples = new List<PathSample>();
        var succeeded = _pairs.Where(p => p.State == PairState.Succeeded).ToList();
        if (succeeded.Any(p => p.Local.Transport == CandidateTransport.Udp)) succeeded.RemoveAll(p => p.Local.Transport != CandidateTransport.Udp);
        else if (!TcpNominable(now)) return null;
        foreach (var pair in succeeded)
        {
            var id = $"{ulong.MaxValue - pair.Priority:D20} {pair.Local.EndPoint}>{pair.Remote.EndPoint}";
            if (!byId.TryAdd(id, pair)) continue;
            samples.Add(new PathSample(id, ViaOf(pair), pair.Rtt, Alive: true));
        }
        return PathRanker.Best(samples) is { } best ? byId[best.Id] : null;
    }

    /// <summary>
    /// The checklist has failed (RFC 8445 section 7.2.5.3.3): every pair was checked <see cref="EstablishOptions.CheckAttempts"/>
    /// times without an answer, nothing is queued or being nominated, and no birthday probing is still under way, so
    /// waiting for the <see cref="EstablishOptions.Deadline"/> would only keep the link's final route unknown for
    /// longer (a peer's late check revives a pair while the session lives; after it, the relayed link asks again on
    /// its upgrade schedule). A session without any pair waits for the deadline: only the peer's checks can make one;
    /// so does a session that probes (either side of birthday probing), whose answers may come late on a loaded machine.
    /// </summary>
    private bool AllFailed() =>
        _pairs.Count > 0 && _pairs.All(p => p.State == PairState.Failed) && _triggered.Count == 0 && _nominating is null
        && _probeBase is null && _opened.Count == 0;

    private long _started;

    /// <summary>UDP is preferred whenever it works: a TCP pair may be nominated only once no UDP pair has succeeded and
    /// UDP had its chance: every UDP pair failed, or <see cref="EstablishOptions.TcpGrace"/> passed since the start
    /// (plus the probing time when birthday probing runs).</summary>
    private bool TcpNominable(long now) =>
        now >= _tcpNominableAt || _pairs.All(p => p.Local.Transport != CandidateTransport.Udp || p.State == PairState.Failed)
            && _probeBase is null && _opened.Count == 0;

    private long _tcpNominableAt;

    private PathVia ViaOf(CandidatePair pair)
    {
        if (pair.Probed || _opened.Contains(pair.Socket)) return PathVia.Probed;
        if (pair.Remote.IsLan && pair.Local.IsLan) return PathVia.Lan;
        bool reachedMapped = pair.ReachedAt is { } at && _localCandidates.Any(c => c.Kind == CandidateKind.Mapped && Normal(c.EndPoint).Equals(Normal(at)));
        return pair.Remote.Kind == CandidateKind.Mapped || reachedMapped ? PathVia.Mapped : PathVia.Reflexive;
    }

    private void Finish(CandidatePair? pair, string outcome, CancellationToken canceled = default)
    {
        lock (_gate) FinishLocked(pair, outcome, canceled);
        Complete();
    }

    /// <summary>After the lock: completes the result (if due), then hands the sockets set aside to be closed to
    /// <see cref="EstablishOptions.CloseSockets"/>. Never close a socket under the lock: its close waits for its receive
    /// thread, which may be waiting for this lock.</summary>
    private void Complete()
    {
        Interlocked.Exchange(ref _completion, null)?.Invoke();
        List<IDisposable>? closing;
        lock (_gate)
        {
            closing = _toClose;
            _toClose = null;
        }
        if (closing is not null) _options.CloseSockets(closing);
    }

    /// <summary>Sockets to close once the lock is released (<see cref="Complete"/>); set under the lock.</summary>
    private List<IDisposable>? _toClose;

    private void CloseLater(IDisposable socket) => (_toClose ??= []).Add(socket);

    private void FinishLocked(CandidatePair? pair, string outcome, CancellationToken canceled = default)
    {
        if (_finished) return;
        _finished = true;
        _timer.Dispose();
        _cancel.Unregister();
        _triggered.Clear();
        _transactions.Clear();
        _selected = pair;
        foreach (var socket in _shared.Concat(_opened))
        {
            if (pair is not null && socket == pair.Socket) continue;
            socket.Unregister(_keys.SessionId, this);
            if (_opened.Contains(socket)) CloseLater(socket);
        }
        var stats = new CheckStatistics(_pairs.Count(p => p.Attempts > 0 || p.State == PairState.Succeeded), _checksSent, _responsesSent, _probesSent, _opened.Count, _rejected);
        if (canceled.IsCancellationRequested) { _disposed = true; _completion = () => _result.TrySetCanceled(canceled); return; }
        if (pair is null) { _disposed = true; _completion = () => _result.TrySetResult(new LinkEstablishment(null, outcome, stats)); return; }
        var path = new EstablishedPath(pair.Local, pair.Remote, ViaOf(pair), pair.Socket, _shared.Contains(pair.Socket), pair.Rtt ?? TimeSpan.Zero, pair.SeenAs, this);
        _completion = () => _result.TrySetResult(new LinkEstablishment(path, outcome, stats));
    }

    public int Rejected { get { lock (_gate) return _rejected; } }
    public int ResponsesSent { get { lock (_gate) return _responsesSent; } }

    public void Dispose()
    {
        lock (_gate)
        {
            if (!_finished) FinishLocked(null, "disposed");
            _disposed = true;
            _selected?.Socket.Unregister(_keys.SessionId, this);
            EndTest();
        }
        Complete();
    }

    private static IPEndPoint Normal(IPEndPoint e) => e.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(e.Address.MapToIPv4(), e.Port) : e;

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    private static ulong NewTransactionId()
    {
        Span<byte> b = stackalloc byte[8];
        RandomNumberGenerator.Fill(b);
        return BitConverter.ToUInt64(b);
    }
}

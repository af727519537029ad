// One client connection: its read loop, its state, its send queue, its dead-connection timer and how it closes.
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using P2PChat.Core.Framing;
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;

namespace P2PChat.Rendezvous.Sessions;

/// <summary>
/// Threading: one read loop per session runs the commands of that client one after another (see
/// <see cref="SessionState"/>); its <see cref="OutgoingQueue"/> is written by whichever thread queues a frame while
/// no write is in progress (no writer task, no thread hop per frame). Other sessions reach it
/// only through <see cref="Deliver"/> (never blocks; a full queue drops this session) and <see cref="Close"/>.
/// While the sign-in burst is being sent, delivered frames are held back and released after it, so the burst
/// always comes first and nothing that happened meanwhile is lost.
/// </summary>
public sealed class Session
{
    private static readonly TimeSpan FlushGrace = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LingerGrace = TimeSpan.FromSeconds(2);
    private readonly Socket _socket;
    private readonly FrameConnection _connection;
    private readonly OutgoingQueue _queue;
    private readonly TimeProvider _time;
    private readonly TimeSpan _idleTimeout;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _reading = new();
    private readonly object _gate = new();
    private readonly HashSet<uint> _friends = [];
    private HashSet<uint>? _channels;
    private readonly int _heldCapacity;
    private List<Frame>? _held;
    private ITimer? _idleTimer;
    private int _closing;
    private string _closeReason = "open";
    private SessionState _closedIn;
    private int _idleSuspended;
    private int _commandRunning;
    private long _lastHeard;
    private Task _background = Task.CompletedTask;

    public Session(long id, Socket socket, Stream stream, IPAddress address, SessionSettings settings, TimeProvider time, ILogger log)
    {
        Id = id;
        _socket = socket;
        _connection = new FrameConnection(stream, FrameDirection.ToServer, settings.MaxFrameSize);
        _queue = new OutgoingQueue(settings.SendQueueCapacity, settings.MaxFrameSize, settings.Deltas, QueueFailed);
        _heldCapacity = settings.SendQueueCapacity;
        Address = address;
        _time = time;
        _idleTimeout = settings.IdleTimeout;
        _log = log;
    }

    public long Id { get; }
    /// <summary>When the connection was accepted (a timestamp of the session's clock), for <see cref="ServerCounters"/>.</summary>
    public long AcceptedAt { get; init; }
    public IPAddress Address { get; }
    public SessionState State { get; private set; } = SessionState.AwaitHello;
    public SignedInUser? User { get; private set; }
    public Tag UserTag => User?.Tag ?? Tag.None;
    public bool IsClosing => Volatile.Read(ref _closing) != 0;

    /// <summary>Once closing: the state the session was in and why it closed (e.g. "idle_timeout", "client_left",
    /// "status_27"), for <see cref="ServerCounters"/>.</summary>
    public (SessionState State, string Reason) ClosedAs { get { lock (_gate) return (_closedIn, _closeReason); } }

    /// <summary>True when this client receives every user's roster deltas (its burst listed the whole general channel,
    /// or it paged through all of it); otherwise only those of its friends and co-members of its other channels.</summary>
    public bool FollowsGeneral { get; set; }

    /// <summary>Runs the read loop until the client leaves, breaks the protocol or the session is closed,
    /// then calls <paramref name="onEnded"/> and shuts the connection down after flushing what is queued.</summary>
    public async Task RunAsync(Func<Session, Frame, CancellationToken, Task> handle, Func<Session, Task> onEnded, CancellationToken serverStopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(_reading.Token, serverStopping);
        using var abortWrites = CancellationTokenSource.CreateLinkedTokenSource(serverStopping);
        var writer = _queue.RunWriterAsync(_connection, abortWrites.Token);   // a failed write closes the session (QueueFailed)
        Volatile.Write(ref _lastHeard, _time.GetTimestamp());
        _idleTimer = _time.CreateTimer(_ => OnIdleTimer(), null, _idleTimeout, Timeout.InfiniteTimeSpan);
        // Replies are corked while the loop has frames in hand: what the commands of one read answer goes out in one write.
        var corked = false;
        try
        {
            while (!IsClosing)
            {
                if (corked && !_connection.HasBufferedInput)
                {
                    corked = false;
                    _queue.Uncork();
                }
                var frame = await _connection.ReadAsync(linked.Token).ConfigureAwait(false);
                if (frame is null) { Close(null, "client_left"); break; }
                if (!corked)
                {
                    corked = true;
                    _queue.Cork();
                }
                // Heartbeats are answered even while a sign-in runs in the background; any other command waits for it,
                // so one client's commands still run one after another. While a command runs (or waits for the store)
                // the client is waiting for us: the dead-connection clock restarts only when it is done.
                Volatile.Write(ref _commandRunning, 1);
                try
                {
                    // A finished sign-in's task (and what it captured) is let go rather than kept for the session's life.
                    if (_background.IsCompleted) _background = Task.CompletedTask;
                    else if (frame is not (Ping or Pong or Quit))
                    {
                        // Replies held so far go out before waiting (also the sign-in's own, queued meanwhile).
                        if (corked)
                        {
                            corked = false;
                            _queue.Uncork();
                        }
                        await _background.ConfigureAwait(false);
                    }
                    await handle(this, frame, linked.Token).ConfigureAwait(false);
                }
                finally
                {
                    Volatile.Write(ref _lastHeard, _time.GetTimestamp());
                    Volatile.Write(ref _commandRunning, 0);
                }
            }
        }
        catch (ProtocolException ex) { Close(Status(ex.Code, ex.Code == StatusCode.FrameTooLarge ? (uint)_connection.MaxFrameSize : 0, ex.Message)); }
        catch (OperationCanceledException) { Close(null, serverStopping.IsCancellationRequested ? "server_stopping" : "cancelled"); }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException) { Close(null, "connection_lost"); }
        catch (Exception ex)
        {
            _log.LogError(ex, "session {Id} failed", Id);
            Close(Status(StatusCode.InternalError, 0, "internal error"));
        }
        finally
        {
            if (corked) _queue.Uncork();
            Close(null);
            await _idleTimer.DisposeAsync().ConfigureAwait(false);
            // A sign-in still running must finish (it sees the session closing) before the user is signed off,
            // or it could register a session that has already ended.
            try { await _background.ConfigureAwait(false); }
            catch (Exception) { /* reported by the background work itself */ }
            try { await onEnded(this).ConfigureAwait(false); }
            catch (Exception ex) { _log.LogError(ex, "cleanup of session {Id} failed", Id); }
            await FlushAndShutDownAsync(writer, abortWrites, serverStopping).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> (a sign-in or registration, whose password hash waits for admission) without holding
    /// up the read loop: PING, PONG and QUIT are still read and handled meanwhile; the next other command waits for it.
    /// While it runs the dead-connection timer is suspended: the client is waiting for us, not silent.
    /// </summary>
    /// <summary>True while a sign-in or registration runs in the background: the client is waiting for the server.</summary>
    public bool AwaitingServer => Volatile.Read(ref _idleSuspended) == 1;

    public void RunInBackground(Func<Task> work)
    {
        Interlocked.Exchange(ref _idleSuspended, 1);
        _background = Task.Run(async () =>
        {
            try { await work().ConfigureAwait(false); }
            catch (Exception ex) when (ex is OperationCanceledException || IsClosing) { }
            catch (Exception ex)
            {
                _log.LogError(ex, "background work of session {Id} failed", Id);
                Close(Status(StatusCode.InternalError, 0, "internal error"));
            }
            finally
            {
                ServerWorkDone();
            }
        });
    }

    /// <summary>The client's wait for the server is over: its silence counts from now.</summary>
    private void ServerWorkDone()
    {
        Volatile.Write(ref _lastHeard, _time.GetTimestamp());
        Interlocked.Exchange(ref _idleSuspended, 0);
    }

    /// <summary>
    /// The dead-connection timer fired: the session is closed with STATUS 33 only if the client has really been silent
    /// for the whole timeout, counted from the last frame read or, when a command of its own or a sign-in was running,
    /// from when that finished (time the server spends on the client's behalf is not the client's silence). Otherwise
    /// the timer is set again for what is left. Reading a frame only stores a timestamp: no timer call per frame.
    /// </summary>
    private void OnIdleTimer()
    {
        if (IsClosing) return;
        var left = _idleTimeout;
        if (Volatile.Read(ref _idleSuspended) == 0 && Volatile.Read(ref _commandRunning) == 0)
        {
            left = _idleTimeout - _time.GetElapsedTime(Volatile.Read(ref _lastHeard));
            if (left <= TimeSpan.Zero)
            {
                Close(Status(StatusCode.Timeout, 0, "nothing heard within the dead-connection timeout"), "idle_timeout");
                return;
            }
        }
        try { _idleTimer?.Change(left, Timeout.InfiniteTimeSpan); }
        catch (ObjectDisposedException) { }
    }

    /// <summary>Moves from AwaitHello to Anonymous.</summary>
    public void Greeted() { lock (_gate) if (State == SessionState.AwaitHello) State = SessionState.Anonymous; }

    /// <summary>Moves to SignedIn as <paramref name="user"/> and starts holding delivered frames until <see cref="EndBurst"/>;
    /// the burst's own frames are queued meanwhile and written together by <see cref="EndBurst"/>.</summary>
    /// <returns>false when the session is already closing (it stays so).</returns>
    public bool SignedIn(SignedInUser user, IEnumerable<uint> friends)
    {
        lock (_gate)
        {
            if (State == SessionState.Closing) return false;
            User = user;
            State = SessionState.SignedIn;
            _friends.UnionWith(friends);
            _held = [];
            // The burst is written whole when it ends (a PONG meanwhile waits for it too).
            _queue.Cork();
            return true;
        }
    }

    /// <summary>The sign-in burst is out: releases what was delivered meanwhile.</summary>
    public void EndBurst()
    {
        lock (_gate)
        {
            var held = _held;
            _held = null;
            if (held is null) return;
            if (held.TrueForAll(Enqueue) && !_queue.ReleaseDeltas()) Dropped();
        }
        // The burst ends the sign-in for the client (what the server still does, telling others, is not its wait):
        // its silence counts from here, before the burst is written and the client can answer it.
        if (AwaitingServer) ServerWorkDone();
        _queue.Uncork();
    }

    /// <summary>Sends one of this client's own replies (waits for room in its queue).</summary>
    public ValueTask SendAsync(Frame frame, CancellationToken ct) => _queue.EnqueueAsync(frame, ct);

    /// <summary>Sends several of this client's own replies, written together (batched as the queue allows).</summary>
    public ValueTask SendAsync(IEnumerable<Frame> frames, CancellationToken ct) => _queue.EnqueueAsync(frames, ct);

    /// <summary>A frame from elsewhere (another session's action). Never waits; a full queue drops this session.</summary>
    /// <returns>false when the session is closing (or was just dropped), so the frame will not arrive.</returns>
    public bool Deliver(Frame frame)
    {
        if (IsClosing) return false;
        lock (_gate)
        {
            if (_held is not null)
            {
                if (_held.Count >= _heldCapacity) { Close(null, "send_queue_full"); return false; }
                _held.Add(frame);
                return true;
            }
            if (!Enqueue(frame)) return false;
        }
        // Written now on this thread unless a write is in progress (after the lock: no socket write under it).
        _queue.Kick();
        return true;
    }

    /// <summary>A best-effort frame from elsewhere (a relayed link packet): queued if there is room now, else dropped —
    /// never held, never waited for, and a full queue does not drop this session (the link's transport resends).</summary>
    public bool Offer(Frame frame)
    {
        if (IsClosing) return false;
        lock (_gate)
            if (_held is not null || !_queue.TryEnqueue(frame)) return false;
        _queue.Kick();
        return true;
    }

    /// <summary>A roster delta about <paramref name="userTag"/> from elsewhere (a card or a presence change): coalesced
    /// with any still waiting for the same user (see <see cref="OutgoingQueue.TryEnqueueDelta"/>). Never waits; held
    /// during the sign-in burst like <see cref="Deliver"/>.</summary>
    public bool DeliverDelta(uint userTag, Frame delta)
    {
        if (IsClosing) return false;
        bool holding;
        lock (_gate)
        {
            holding = _held is not null;
            if (!_queue.TryEnqueueDelta(userTag, delta, hold: holding))
            {
                Dropped();
                return false;
            }
        }
        if (!holding) _queue.Kick();
        return true;
    }

    /// <summary>OFFLINE_ACK <paramref name="ackedId"/>: the stored-message ids this connection queued up to and including
    /// it, which the client has therefore received; empty when it never queued that id.</summary>
    public IReadOnlyCollection<long> TakeAcknowledgedOffline(long ackedId) => _queue.TakeAcknowledged(ackedId);

    /// <summary>Ends the session: <paramref name="last"/> (a STATUS, usually) is sent after what is queued, then the
    /// connection is shut down. Safe from any thread; only the first call counts.</summary>
    public void Close(Frame? last, string? reason = null)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0) return;
        lock (_gate)
        {
            _closedIn = State;
            _closeReason = reason ?? (last is Status st ? $"status_{(int)st.Code}" : "closed");
            State = SessionState.Closing;
        }
        if (last is Status s) _log.LogDebug("session {Id} closing with {Code}: {Text}", Id, s.Code, s.Text);
        _queue.Complete(last);
        // Cancelled asynchronously: Close may be called under another session's lock (Deliver), and the read loop's
        // clean-up must not run inline there.
        _ = _reading.CancelAsync();
    }

    public bool IsFriend(uint tag) { lock (_gate) return _friends.Contains(tag); }
    public void SetFriend(uint tag, bool on) { lock (_gate) { if (on) _friends.Add(tag); else _friends.Remove(tag); } }
    public IReadOnlyList<uint> Friends() { lock (_gate) return [.. _friends]; }
    /// <summary>The channels (other than general) this user is in, as far as this session knows: set at sign-in, kept
    /// up to date by joins and leaves. Used to find co-members for roster deltas.</summary>
    public IReadOnlyList<uint> Channels() { lock (_gate) return _channels is null ? [] : [.. _channels]; }
    public void SetChannel(uint channelTag, bool member)
    {
        lock (_gate)
        {
            if (member) (_channels ??= []).Add(channelTag);
            else if (_channels?.Remove(channelTag) == true && _channels.Count == 0) _channels = null;
        }
    }

    /// <summary>Replaces the signed-in user's mutable details (nickname, presence).</summary>
    public SignedInUser UpdateUser(Func<SignedInUser, SignedInUser> change)
    {
        lock (_gate) return User = change(User ?? throw new InvalidOperationException("not signed in"));
    }

    public static Status Status(StatusCode code, uint value, string text, Tag subject = default, Opcode refOpcode = 0) =>
        new(code, refOpcode, subject, value, text);

    private bool Enqueue(Frame frame)
    {
        if (_queue.TryEnqueue(frame)) return true;
        Dropped();
        return false;
    }

    private void QueueFailed(string reason)
    {
        if (reason == "send_queue_full") Dropped();
        else Close(null, reason);
    }

    private void Dropped()
    {
        _log.LogWarning("session {Id} dropped: its client is not reading", Id);
        Close(null, "send_queue_full");
    }

    private async Task FlushAndShutDownAsync(Task writer, CancellationTokenSource abortWrites, CancellationToken serverStopping)
    {
        // I/O grace periods run on real time (not the injected clock): they bound how long a socket may hang,
        // they are not protocol rules. A client that does not read gets a few seconds to take what is queued.
        try { await writer.WaitAsync(FlushGrace, TimeProvider.System, serverStopping).ConfigureAwait(false); }
        catch (Exception) { abortWrites.Cancel(); }
        try
        {
            // Half-close, then read what the client still sends until it closes too: closing with unread input
            // would reset the connection and could destroy the closing STATUS before the client reads it.
            _socket.Shutdown(SocketShutdown.Send);
            using var lingerTime = new CancellationTokenSource(LingerGrace, TimeProvider.System);
            using var linger = CancellationTokenSource.CreateLinkedTokenSource(lingerTime.Token, serverStopping);
            var sink = new byte[4096];
            while (await _socket.ReceiveAsync(sink, SocketFlags.None, linger.Token).ConfigureAwait(false) > 0) { }
        }
        catch (Exception) { /* the peer is gone or the linger ran out: either way we are done */ }
        await _connection.DisposeAsync().ConfigureAwait(false);
        _socket.Dispose();
        _reading.Dispose();
    }
}

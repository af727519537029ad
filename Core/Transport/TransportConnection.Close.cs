// Ending a connection: graceful close after everything queued is acknowledged, abort, peer CLOSE, and termination.
namespace P2PChat.Core.Transport;

/// <summary>
/// Every way a connection ends completes every stream on it, so nothing waits forever:
/// <list type="bullet">
/// <item>CloseAsync: new writes and writers waiting for buffer space fail at once (TransportException); CLOSE goes out
/// when everything written is acknowledged, or, if the peer acknowledges nothing for
/// <see cref="TransportOptions.CloseTimeout"/> (a dead path, a vanished peer), as an abort
/// (<see cref="TransportError.CloseTimedOut"/>). Readers read what arrived, then see end-of-stream (0) after a
/// graceful close, or an exception after an abnormal one.</item>
/// <item>Abort, a violation, the peer's CLOSE, the idle timeout, the endpoint's disposal: at once, the same way.</item>
/// </list>
/// </summary>
public sealed partial class TransportConnection
{
    private const long GracefulCloseCode = 0;
    private const long AbortCode = 1;
    private const long ViolationCode = 2;

    private readonly TaskCompletionSource _closeStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _closeRequested;
    private bool _closePending;
    private long _closeCode;
    private long _closeDeadlineMicros;
    /// <summary>While a graceful close waits: when it was asked for, or the last acknowledgement of anything since.</summary>
    private long _closeProgressMicros;

    public async Task CloseAsync(CancellationToken cancellationToken = default)
    {
        lock (Gate)
        {
            if (State == ConnectionState.Handshaking) Terminate(TransportError.ClosedLocally);
            else if (State == ConnectionState.Established && !_closeRequested)
            {
                _closeRequested = true;
                _closeProgressMicros = _endpoint.Clock.NowMicros;
                foreach (var stream in _streams.Values) stream.WakeWriters();   // they fail now rather than wait for space
                CloseIfSettled();
                if (State == ConnectionState.Established) _endpoint.ArmTimer(NextDeadline());
            }
        }
        await _closeStarted.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>After CloseAsync: sends CLOSE as soon as every stream's data is acknowledged (checked on each ACK).</summary>
    private void CloseIfSettled()
    {
        if (_closeRequested && State == ConnectionState.Established && _streams.Values.All(s => s.SendSettled))
            EnterClosing(GracefulCloseCode, TransportError.None);
    }

    /// <summary>An acknowledgement arrived during a graceful close: the peer is still there, keep waiting.</summary>
    private void OnCloseProgress(long now)
    {
        if (_closeRequested) _closeProgressMicros = now;
        CloseIfSettled();
    }

    private long CloseGiveUpDeadline => _closeRequested ? _closeProgressMicros + MonotonicClock.Micros(_options.CloseTimeout) : long.MaxValue;

    /// <summary>A graceful close the peer stopped answering ends as an abort (its readers may miss data: they must not see a clean end).</summary>
    private bool GaveUpClosing(long now)
    {
        if (now < CloseGiveUpDeadline) return false;
        EnterClosing(AbortCode, TransportError.CloseTimedOut);
        return true;
    }

    public void Abort()
    {
        lock (Gate)
        {
            if (State == ConnectionState.Handshaking) Terminate(TransportError.AbortedLocally);
            else if (State == ConnectionState.Established) EnterClosing(AbortCode, TransportError.AbortedLocally);
        }
    }

    /// <summary>A peer broke the protocol: close with an error and stop processing.</summary>
    private void Violation(TransportError error, string reason)
    {
        _ = reason;
        if (State == ConnectionState.Established) EnterClosing(ViolationCode, error);
    }

    /// <summary>Sends CLOSE, drops everything queued and lingers 3·PTO, answering stray packets with CLOSE again.</summary>
    private void EnterClosing(long code, TransportError error)
    {
        State = ConnectionState.Closing;
        Error = error;
        _closeCode = code;
        _closePending = true;
        _closeDeadlineMicros = _endpoint.Clock.NowMicros + 3 * ProbeTimeout;
        _closeStarted.TrySetResult();
        DropQueuedWork();
        WakeAll();
        FlushLocked();
    }

    private void OnCloseFrame(long code, long now)
    {
        State = ConnectionState.Draining;
        _closeStarted.TrySetResult();
        Error = code == GracefulCloseCode ? TransportError.None : TransportError.AbortedByPeer;
        _closeDeadlineMicros = now + 3 * ProbeTimeout;
        DropQueuedWork();
        WakeAll();
    }

    /// <summary>Final state: forgets the connection at the endpoint and fails or ends every waiter.</summary>
    internal void Terminate(TransportError error)
    {
        if (State == ConnectionState.Closed) return;
        if (State is ConnectionState.Handshaking or ConnectionState.Established) Error = error;
        State = ConnectionState.Closed;
        _closeStarted.TrySetResult();
        DropQueuedWork();
        _established.TrySetException(new TransportException(Error == TransportError.None ? error : Error, $"connection ended: {error}"));
        _endpoint.Forget(this);
        WakeAll();
    }

    private void DropQueuedWork()
    {
        _sendQueue.Clear();
        _outgoingDatagrams.Clear();
        _streamWindowUpdates.Clear();
        foreach (var stream in _streams.Values)
        {
            stream.InSendQueue = false;
            stream.SendBuffer.Clear();
            stream.Lost.Clear();
        }
    }

    private void WakeAll()
    {
        foreach (var stream in _streams.Values)
        {
            stream.WakeReaders();
            stream.WakeWriters();
        }
        _streamArrived.Set();
        _datagramArrived.Set();
    }
}

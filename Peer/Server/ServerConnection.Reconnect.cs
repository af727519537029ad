// Automatic reconnection: after a lost link, wait (backoff on the injected clock), connect, and sign in again.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Peer.Events;

namespace P2PChat.Peer.Server;

/// <summary>
/// States: Idle → (link lost, <see cref="ReconnectPolicy.MayReconnectAfter"/>) Waiting (a reconnecting event, then the
/// delay) → Attempting (connect, then RESUME with the device's ticket, or IAM with the last good credentials) → Idle when signed in (or connected, when we
/// never signed in), or back to Waiting with the next attempt. A final refusal (certificate, 3, 4, 23, 24) ends it in
/// Idle. The user's /connect, /login or /quit, and disposal, cancel it at any point. Credentials of the last successful
/// sign-in are kept in memory only. Keys are reopened from the profile at each sign-in (sessions are saved after every
/// use), so a re-sign-in neither makes a new identity nor loses sessions.
/// </summary>
public sealed partial class ServerConnection
{
    private sealed record Credentials(string User, string Password);

    private readonly object _reconnectGate = new();
    private Credentials? _credentials;
    private CancellationTokenSource? _reconnect;
    private Task _reconnectLoop = Task.CompletedTask;
    private bool _disposed;

    /// <summary>True while an automatic reconnect is waiting or attempting.</summary>
    public bool IsReconnecting { get { lock (_reconnectGate) return _reconnect is not null; } }

    /// <summary>The latest automatic reconnection loop (completed when none ran): lets tests await its end.</summary>
    internal Task ReconnectLoop { get { lock (_reconnectGate) return _reconnectLoop; } }

    private void RememberCredentials(string user, string password)
    {
        lock (_reconnectGate) _credentials = new Credentials(user, password);
    }

    /// <summary>Starts the loop (once <paramref name="after"/> completes) unless it is running, disabled or the client is disposed.</summary>
    private void StartReconnect(string reason, Task after)
    {
        if (!_options.Reconnect.Enabled) return;
        lock (_reconnectGate)
        {
            if (_reconnect is not null || _disposed) return;
            var cts = new CancellationTokenSource();
            _reconnect = cts;
            _reconnectLoop = Task.Run(async () =>
            {
                await after.ConfigureAwait(false);
                await ReconnectLoopAsync(reason, cts).ConfigureAwait(false);
            }, CancellationToken.None);
        }
    }

    /// <summary>The user takes over (or quits): the automatic attempt in progress stops.</summary>
    private void CancelReconnect()
    {
        CancellationTokenSource? cts;
        lock (_reconnectGate) { cts = _reconnect; _reconnect = null; }
        cts?.Cancel();
    }

    private async Task StopReconnectingAsync()
    {
        Task loop;
        lock (_reconnectGate) { _disposed = true; loop = _reconnectLoop; }
        CancelReconnect();
        await loop.ConfigureAwait(false);
    }

    private async Task ReconnectLoopAsync(string reason, CancellationTokenSource cts)
    {
        var ct = cts.Token;
        try
        {
            for (var attempt = 1; !ct.IsCancellationRequested; attempt++)
            {
                var delay = _options.Reconnect.DelayBefore(attempt);
                var wait = Task.Delay(delay, _options.Time, ct); // armed before the event: a test clock advanced on it fires it
                _events.Publish(new ReconnectingEvent(attempt, (long)delay.TotalMilliseconds, reason));
                await wait.ConfigureAwait(false);
                try
                {
                    await ConnectCoreAsync(ct).ConfigureAwait(false);
                    Credentials? credentials;
                    lock (_reconnectGate) credentials = _credentials;
                    Frame? reply = null;
                    if (credentials is not null && !IsSignedIn)
                        reply = await ResumeCoreAsync(credentials.User, credentials.Password, ct).ConfigureAwait(false)
                            ?? await LoginCoreAsync(credentials.User, credentials.Password, silent: false, ct).ConfigureAwait(false);
                    if (FinishIfBack(cts, credentials is not null)) return;
                    if (reply is Status refused && ReconnectPolicy.SignInRefusalIsFinal(refused.Code)) return; // an error event says why
                    reason = reply is Status s ? StatusText.Describe(s) : "the connection closed while signing in";
                }
                catch (CommandFailedException e) when (e.Code == (int)PeerErrorCode.CertificateRejected)
                {
                    _events.Publish(new ErrorEvent(e.Code, e.Message, "connect"));
                    return;
                }
                catch (CommandFailedException e) { reason = e.Message; }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        finally
        {
            // Not disposed: CancelReconnect may still cancel it from another thread (it holds no timer).
            lock (_reconnectGate) if (_reconnect == cts) _reconnect = null;
        }
    }

    /// <summary>
    /// Ends the loop when the link is back, checked under the gate so that a link lost right after is seen either here
    /// (not back: the loop goes on) or by <see cref="StartReconnect"/> (the loop is gone: a new one starts).
    /// </summary>
    private bool FinishIfBack(CancellationTokenSource cts, bool signIn)
    {
        lock (_reconnectGate)
        {
            if (signIn ? !IsSignedIn : !IsConnected) return false;
            if (_reconnect == cts) _reconnect = null;
            return true;
        }
    }
}

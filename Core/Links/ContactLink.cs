// A keyed transport connection to a proven contact, with the loop that hands the contact's streams to their features.
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Payloads;
using P2PChat.Core.Protocol;
using P2PChat.Core.Transport;

namespace P2PChat.Core.Links;

/// <summary>
/// Made by whoever established the link (after <see cref="SecureLink"/> proved <see cref="PeerIdentity"/>).
/// <see cref="Start"/> runs the accept loop: each incoming stream's kind byte is read and the stream handed to the
/// handler registered for that kind; a stream of an unknown kind is ended at once. When the connection ends the loop
/// stops and <see cref="Closed"/> is cancelled. A handler's failure is reported through <see cref="HandlerFailed"/> and
/// ends only that stream.
/// </summary>
public sealed class ContactLink : IContactLink, IAsyncDisposable
{
    private readonly IReliableConnection _connection;
    private readonly ContactStreamRouter _router;
    private readonly CancellationTokenSource _closed = new();
    private Task _acceptLoop = Task.CompletedTask;

    public ContactLink(IReliableConnection connection, Tag peerTag, IdentityPublicKey peerIdentity, LinkRoute route, ContactStreamRouter router)
    {
        _connection = connection;
        PeerTag = peerTag;
        PeerIdentity = peerIdentity;
        Route = route;
        _router = router;
    }

    public Tag PeerTag { get; }
    public IdentityPublicKey PeerIdentity { get; }
    public LinkRoute Route { get; set; }
    public CancellationToken Closed => _closed.Token;

    /// <summary>The connection underneath, for the link layer (keepalives, path changes, statistics).</summary>
    public IReliableConnection Connection => _connection;

    /// <summary>Raised when a stream handler throws (other than by cancellation).</summary>
    public event Action<PayloadKind, Exception>? HandlerFailed;

    public IReliableStream OpenStream(PayloadKind kind) => ContactStreamHeader.Open(_connection, kind);

    /// <summary>Starts handing incoming streams to their handlers; call once, after the handshake.</summary>
    public void Start() => _acceptLoop = Task.Run(AcceptLoopAsync);

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (!_closed.IsCancellationRequested)
            {
                var stream = await _connection.AcceptStreamAsync(_closed.Token).ConfigureAwait(false);
                _ = Task.Run(() => HandleAsync(stream));
            }
        }
        catch (Exception e) when (e is TransportException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection ended (or we are disposing): the link is gone.
        }
        finally
        {
            MarkClosed();
        }
    }

    private async Task HandleAsync(IReliableStream stream)
    {
        PayloadKind? kind = null;
        try
        {
            kind = await ContactStreamHeader.ReadKindAsync(stream, _closed.Token).ConfigureAwait(false);
            if (kind is null) return;
            if (_router.Find(kind.Value) is { } handler) await handler(this, stream, _closed.Token).ConfigureAwait(false);
            else stream.CompleteWrites();
        }
        catch (Exception e) when (e is TransportException or OperationCanceledException or ObjectDisposedException)
        {
            // The link went away under the stream; its feature resumes on the next link.
        }
        catch (Exception e)
        {
            HandlerFailed?.Invoke(kind ?? 0, e);
        }
    }

    private void MarkClosed()
    {
        try { _closed.Cancel(); }
        catch (ObjectDisposedException) { }
    }

    /// <summary>Ends the link at once (the peer's streams fail); used when the link is cut or replaced.</summary>
    public void Abort()
    {
        _connection.Abort();
        MarkClosed();
    }

    /// <summary>
    /// Ends the link: <see cref="Closed"/> is cancelled first (handlers and readers waiting with it stop), then the
    /// connection closes gracefully, which completes every stream still open on it (the transport bounds the wait when
    /// the peer no longer answers; see TransportOptions.CloseTimeout). <see cref="Closed"/> stays readable afterwards.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        MarkClosed();
        await _connection.DisposeAsync().ConfigureAwait(false);
        await _acceptLoop.ConfigureAwait(false);
    }
}

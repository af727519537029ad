// Test support: one in-process peer's IContactLinks over real loopback UDP links (see LoopbackLinkHub).
using System.Net;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Links;
using P2PChat.Core.Payloads;
using P2PChat.Core.Protocol;
using P2PChat.Core.Transport;

namespace P2PChat.NetLab.Links;

/// <summary>
/// Connects on demand (one live link per contact; a link made by either side serves both), accepts links from other
/// hub peers, and dispatches their streams by kind. <see cref="Cut"/> kills a link mid-flight and <see cref="GoOffline"/>
/// makes the peer unreachable, so tests can exercise resume and failover.
/// </summary>
public sealed class LoopbackContactLinks : IContactLinks, IAsyncDisposable
{
    private readonly LoopbackLinkHub _hub;
    private readonly UdpTransportEndpoint _endpoint;
    private readonly ContactStreamRouter _router = new();
    private readonly Dictionary<Tag, ContactLink> _links = [];
    private readonly Dictionary<Tag, TaskCompletionSource> _held = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;

    internal LoopbackContactLinks(LoopbackLinkHub hub, Tag tag, IdentityKeyPair identity, TimeProvider? time)
    {
        _hub = hub;
        Tag = tag;
        Identity = identity;
        _endpoint = UdpTransportEndpoint.Bind(new IPEndPoint(IPAddress.Loopback, 0), new TransportOptions { AcceptIncoming = true }, time);
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public Tag Tag { get; }
    public IdentityKeyPair Identity { get; }
    public EndPoint LocalEndPoint => _endpoint.LocalEndPoint;

    /// <summary>While true, nobody can make a new link to this peer and it makes none.</summary>
    public bool IsOffline { get; private set; }

    /// <summary>Raised for every link that comes up, made by either side.</summary>
    public event Action<ContactLink>? LinkUp;

    public IContactLink? Find(Tag peer)
    {
        lock (_gate) return _links.TryGetValue(peer, out var link) && !link.Closed.IsCancellationRequested ? link : null;
    }

    public async ValueTask<IContactLink> ConnectAsync(Tag peer, CancellationToken cancellationToken)
    {
        TaskCompletionSource? held;
        lock (_gate) _held.TryGetValue(peer, out held);
        if (held is not null) await held.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (Find(peer) is { } live) return live;
        if (IsOffline) throw new ContactLinkUnavailableException(peer, "this peer is offline");
        var expected = _hub.IdentityOf(peer) ?? throw new ContactLinkUnavailableException(peer, "the contact is offline");
        var remote = _hub.EndPointOf(peer) ?? throw new ContactLinkUnavailableException(peer, "the contact is offline");
        TransportConnection connection;
        try
        {
            connection = await _endpoint.ConnectAsync(remote, cancellationToken).ConfigureAwait(false);
            await SecureLink.InitiateAsync(connection, Identity, expected, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TransportException or LinkHandshakeException)
        {
            throw new ContactLinkUnavailableException(peer, $"no link: {e.Message}");
        }
        return Adopt(connection, peer, expected);
    }

    public IDisposable OnStream(PayloadKind kind, ContactStreamHandler handler) => _router.Register(kind, handler);

    /// <summary>
    /// Holds every link this peer asks for to <paramref name="peer"/> (even one that exists) until <see cref="Release"/>,
    /// as a link that takes long to make on a loaded machine would.
    /// </summary>
    public void Hold(Tag peer)
    {
        lock (_gate) _held[peer] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Lets the link attempts to <paramref name="peer"/> held by <see cref="Hold"/> go on.</summary>
    public void Release(Tag peer)
    {
        TaskCompletionSource? held;
        lock (_gate) _held.Remove(peer, out held);
        held?.TrySetResult();
    }

    /// <summary>Kills the live link to <paramref name="peer"/> at once, as a cut cable would (both sides see it end).</summary>
    public void Cut(Tag peer)
    {
        ContactLink? link;
        lock (_gate) _links.Remove(peer, out link);
        link?.Abort();
    }

    /// <summary>Cuts every link and refuses new ones until <see cref="GoOnline"/>.</summary>
    public void GoOffline()
    {
        List<Tag> peers;
        lock (_gate) IsOffline = true;   // under the lock: a link being adopted sees it (Adopt), or is in the list below
        lock (_gate) peers = [.. _links.Keys];
        foreach (var peer in peers) Cut(peer);
    }

    public void GoOnline() => IsOffline = false;

    private ContactLink Adopt(TransportConnection connection, Tag peer, IdentityPublicKey identity)
    {
        var link = new ContactLink(connection, peer, identity, LinkRoute.Direct, _router);
        ContactLink? replaced;
        lock (_gate)
        {
            // A handshake that was under way when the peer went offline must not leave a live link behind it.
            if (IsOffline)
            {
                connection.Abort();
                throw new ContactLinkUnavailableException(peer, "this peer is offline");
            }
            _links.Remove(peer, out replaced);
            _links[peer] = link;
        }
        replaced?.Abort();
        link.Start();
        LinkUp?.Invoke(link);
        return link;
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var connection = await _endpoint.AcceptAsync(_stop.Token).ConfigureAwait(false);
                _ = Task.Run(() => RespondAsync(connection));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException) { }
    }

    private async Task RespondAsync(TransportConnection connection)
    {
        try
        {
            var proven = await SecureLink.RespondAsync(connection, Identity, id => !IsOffline && _hub.TagOf(id) is not null, _stop.Token).ConfigureAwait(false);
            if (_hub.TagOf(proven) is { } peer) Adopt(connection, peer, proven);
            else connection.Abort();
        }
        catch (Exception e) when (e is TransportException or LinkHandshakeException or ContactLinkUnavailableException or OperationCanceledException or ObjectDisposedException)
        {
            connection.Abort();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        List<ContactLink> links;
        lock (_gate)
        {
            links = [.. _links.Values];
            _links.Clear();
        }
        foreach (var link in links) link.Abort();
        await _endpoint.DisposeAsync().ConfigureAwait(false);
        await _acceptLoop.ConfigureAwait(false);
        foreach (var link in links) await link.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}

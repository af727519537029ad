// PMs over contact links: the message route tried before the server, and the receiving end of linked PMs.
using P2PChat.Core.Links;
using P2PChat.Core.Payloads;
using P2PChat.Core.Protocol;
using P2PChat.Core.Transport;
using P2PChat.Peer.Events;
using P2PChat.Peer.Routing;
using P2PChat.Peer.Server;

namespace P2PChat.Peer.Links;

/// <summary>
/// <para><b>Sending</b> (<see cref="IMessageRoute"/>, added first to the router): with a live link to the contact, the
/// envelope goes on the link's PM stream (<see cref="LinkMessageStreams"/>, <see cref="LinkMessageCodec"/>: one
/// long-lived stream of kind <see cref="PayloadKind.PrivateMessage"/> per link) and counts as sent when the receiver
/// answers within <see cref="AnswerTimeout"/> (a <c>sent</c> event with route direct or relay). Without a live link the route declines and starts making one in the background, so the next PM
/// goes over it; a send that fails or is not answered in time also declines, and the router gives the <b>same</b>
/// envelope to the server (it is never encrypted twice). The receiver drops the second copy if both arrive
/// (<see cref="DeliveredEnvelopes"/>, checked before decrypting on both routes).</para>
/// <para><b>Receiving</b>: the body is read by the session's hooks exactly as a MSG from the server would be
/// (decryption, key checks) and published as a <c>message</c> event with route direct or relay.</para>
/// </summary>
public sealed class DirectRoute : IMessageRoute, IDisposable
{
    public static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(3);
    private readonly PeerLinks _links;
    private readonly ServerConnection _server;
    private readonly IServerHooks _hooks;
    private readonly IEventSink _events;
    private readonly TimeProvider _time;
    private readonly IDisposable _registration;
    private readonly LinkMessageStreams _streams = new();
    private long _nextId;

    /// <param name="events">the sink messages are recorded through (the history recorder).</param>
    public DirectRoute(PeerLinks links, ServerConnection server, IServerHooks hooks, IEventSink events, TimeProvider? time = null)
    {
        _links = links;
        _server = server;
        _hooks = hooks;
        _events = events;
        _time = time ?? TimeProvider.System;
        _registration = links.OnStream(PayloadKind.PrivateMessage, ReceiveAsync);
    }

    public string Name => "direct";

    public bool IsLive(Tag to) => _links.Find(to) is not null;

    public async ValueTask<bool> TrySendAsync(ContactMessage message, CancellationToken ct)
    {
        if (_links.Find(message.To) is not { } link)
        {
            _links.Prefetch(message.To);
            return false;
        }
        var flags = (message.Encrypted ? LinkMessageCodec.Flags.Encrypted : 0) | (message.Control ? LinkMessageCodec.Flags.Control : 0);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct, link.Closed);
        timeout.CancelAfter(AnswerTimeout);
        try
        {
            if (!await _streams.SendAsync(link, LinkMessageCodec.Encode(flags, message.Body), timeout.Token).ConfigureAwait(false)) return false;
        }
        catch (Exception e) when (e is TransportException or ObjectDisposedException || e is OperationCanceledException && !ct.IsCancellationRequested)
        {
            return false;   // the router hands the same envelope to the server
        }
        if (!message.Control)
            _events.Publish(new SentEvent(message.ToName, 0, 0, _time.GetUtcNow(), false, RouteName(link)));
        return true;
    }

    private Task ReceiveAsync(IContactLink link, IReliableStream stream, CancellationToken ct) =>
        LinkMessageStreams.ReceiveAsync(stream, (flags, body) =>
        {
            Take(link, flags, body);
            return ValueTask.CompletedTask;
        }, ct);

    /// <summary>One PM off a link: read (decrypted, checked) exactly as a MSG from the server, then published.</summary>
    private void Take(IContactLink link, LinkMessageCodec.Flags flags, byte[] body)
    {
        var from = _server.Directory.NameOf(link.PeerTag);
        // Local ids for linked PMs: top two bits set, apart from the server's (persistent ids, and live ids with the top bit).
        var id = 0xC000_0000_0000_0000UL | (ulong)Interlocked.Increment(ref _nextId);
        var encrypted = flags.HasFlag(LinkMessageCodec.Flags.Encrypted);
        var read = _hooks.Read(new IncomingMessage(from, _server.Me, ToMe: true, ToInviteOnly: false, body, encrypted, id, Offline: false, ViaLink: true));
        if (read is not null && !flags.HasFlag(LinkMessageCodec.Flags.Control) && read.Text.Length > 0)
            _events.Publish(new MessageEvent(from, _server.Username, read.Text, _time.GetUtcNow(), false, RouteName(link), encrypted, id, read.KeyStatus));
    }

    private static string RouteName(IContactLink link) => link.Route == LinkRoute.Direct ? "direct" : "relay";

    public void Dispose() => _registration.Dispose();
}

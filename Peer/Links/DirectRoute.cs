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
/// envelope goes on a fresh stream of kind <see cref="PayloadKind.PrivateMessage"/> (<see cref="LinkMessageCodec"/>)
/// and counts as sent when the receiver answers within <see cref="AnswerTimeout"/> (a <c>sent</c> event with route
/// direct or relay). Without a live link the route declines and starts making one in the background, so the next PM
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
            var stream = link.OpenStream(PayloadKind.PrivateMessage);
            await stream.WriteAsync(LinkMessageCodec.Encode(flags, message.Body), timeout.Token).ConfigureAwait(false);
            stream.CompleteWrites();
            var answer = new byte[1];
            if (await stream.ReadAsync(answer, timeout.Token).ConfigureAwait(false) != 1 || answer[0] != LinkMessageCodec.Taken) return false;
        }
        catch (Exception e) when (e is TransportException or ObjectDisposedException || e is OperationCanceledException && !ct.IsCancellationRequested)
        {
            return false;   // the router hands the same envelope to the server
        }
        if (!message.Control)
            _events.Publish(new SentEvent(message.ToName, 0, 0, _time.GetUtcNow(), false, RouteName(link)));
        return true;
    }

    private async Task ReceiveAsync(IContactLink link, IReliableStream stream, CancellationToken ct)
    {
        var header = new byte[LinkMessageCodec.HeaderLength];
        if (!await ReadExactlyAsync(stream, header, ct).ConfigureAwait(false)) return;
        if (LinkMessageCodec.ReadHeader(header, out _) is not { } h)
        {
            stream.CompleteWrites();
            return;
        }
        var body = new byte[h.Length];
        if (!await ReadExactlyAsync(stream, body, ct).ConfigureAwait(false)) return;
        var from = _server.Directory.NameOf(link.PeerTag);
        // Local ids for linked PMs: top two bits set, apart from the server's (persistent ids, and live ids with the top bit).
        var id = 0xC000_0000_0000_0000UL | (ulong)Interlocked.Increment(ref _nextId);
        var encrypted = h.Flags.HasFlag(LinkMessageCodec.Flags.Encrypted);
        var read = _hooks.Read(new IncomingMessage(from, _server.Me, ToMe: true, ToInviteOnly: false, body, encrypted, id, Offline: false, ViaLink: true));
        if (read is not null && !h.Flags.HasFlag(LinkMessageCodec.Flags.Control) && read.Text.Length > 0)
            _events.Publish(new MessageEvent(from, _server.Username, read.Text, _time.GetUtcNow(), false, RouteName(link), encrypted, id, read.KeyStatus));
        await stream.WriteAsync(new[] { LinkMessageCodec.Taken }, ct).ConfigureAwait(false);
        stream.CompleteWrites();
    }

    private static string RouteName(IContactLink link) => link.Route == LinkRoute.Direct ? "direct" : "relay";

    private static async Task<bool> ReadExactlyAsync(IReliableStream stream, byte[] buffer, CancellationToken ct) =>
        await stream.ReadFullyAsync(buffer, ct).ConfigureAwait(false) == buffer.Length;

    public void Dispose() => _registration.Dispose();
}

// The peer's links to its contacts: get one (made on demand), and hand incoming streams to the feature that owns their kind.
using P2PChat.Core.Payloads;
using P2PChat.Core.Protocol;
using P2PChat.Core.Transport;

namespace P2PChat.Core.Links;

/// <summary>Handles one incoming stream of a registered kind; the kind byte has already been read.</summary>
public delegate Task ContactStreamHandler(IContactLink link, IReliableStream stream, CancellationToken cancellationToken);

/// <summary>
/// The seam between direct links (introduction, hole punching, relay: whoever implements this) and the features that
/// use them (chat, files, rooms). One live link per contact at most; <see cref="ConnectAsync"/> returns it or makes one.
/// </summary>
public interface IContactLinks
{
    /// <summary>The live link to <paramref name="peer"/>, made now if there is none. Fails with
    /// <see cref="ContactLinkUnavailableException"/> when no link can be made (offline, refused, not trusted, limits).</summary>
    ValueTask<IContactLink> ConnectAsync(Tag peer, CancellationToken cancellationToken);

    /// <summary>The live link to <paramref name="peer"/> if there is one; never starts making a link.</summary>
    IContactLink? Find(Tag peer);

    /// <summary>Routes incoming streams of <paramref name="kind"/> to <paramref name="handler"/> until the returned
    /// registration is disposed. Streams of a kind nobody registered are reset.</summary>
    IDisposable OnStream(PayloadKind kind, ContactStreamHandler handler);
}

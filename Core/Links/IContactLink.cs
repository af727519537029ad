// One secured link to a contact whose identity key was proven: the streams that chat, files and rooms open over it.
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Payloads;
using P2PChat.Core.Protocol;
using P2PChat.Core.Transport;

namespace P2PChat.Core.Links;

/// <summary>
/// A link is up once the Noise XX handshake proved <see cref="PeerIdentity"/> (checked against the trust book by
/// whoever made the link). Every stream opened on it starts with one <see cref="PayloadKind"/> byte, written by
/// <see cref="OpenStream"/> and consumed before the other side's handler sees the stream (<see cref="ContactStreamHeader"/>).
/// A link can die at any time (path lost, peer gone): stream operations then throw <see cref="TransportException"/>
/// and <see cref="Closed"/> is cancelled. Users of streams must survive that: ask <see cref="IContactLinks"/> for a
/// link again and resume (files from the last verified chunk, rooms by resending what was not acknowledged).
/// </summary>
public interface IContactLink
{
    /// <summary>The contact's user tag on the rendezvous server.</summary>
    Tag PeerTag { get; }

    /// <summary>The identity key the peer proved in the link handshake.</summary>
    IdentityPublicKey PeerIdentity { get; }

    /// <summary>The route the link uses now; it may change from relay to direct while the link lives.</summary>
    LinkRoute Route { get; }

    /// <summary>Cancelled once the link is gone for good.</summary>
    CancellationToken Closed { get; }

    /// <summary>Opens a stream whose first byte tells the peer which handler takes it.</summary>
    IReliableStream OpenStream(PayloadKind kind);
}

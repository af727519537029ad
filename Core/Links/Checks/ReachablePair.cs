// A checked pair known to carry packets to the peer before any nomination: where a caller may race its first packets.
using System.Net;

namespace P2PChat.Core.Links.Checks;

/// <summary>
/// <paramref name="Socket"/> is one of the caller's shared bases (never a socket the engine opened), and a datagram sent
/// from it to <paramref name="Remote"/> reaches the peer: our check on the pair was answered, or the peer's
/// authenticated check arrived from <paramref name="Remote"/> on it. Not a nomination: the path the link finally uses
/// is the <see cref="LinkEstablishment"/>'s.
/// </summary>
public sealed record ReachablePair(CheckDemultiplexer Socket, IPEndPoint Remote);

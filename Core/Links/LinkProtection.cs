// Turns the keys a link handshake agreed into the transport's packet protection.
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Handshake;
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Protection;

namespace P2PChat.Core.Links;

public static class LinkProtection
{
    /// <summary>AEGIS-128L (the fastest AEAD measured for 1200-byte packets) with header protection and a replay window,
    /// keyed per direction from the link keys; see <see cref="AeadPacketProtector"/>.</summary>
    public static IPacketProtector For(LinkKeys keys) => AeadPacketProtector.ForLink(keys.SendKey, keys.ReceiveKey);
}

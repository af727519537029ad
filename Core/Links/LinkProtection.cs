// Turns the keys a link handshake agreed into the transport's packet protection.
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Link;
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Protection;

namespace P2PChat.Core.Links;

public static class LinkProtection
{
    /// <summary>AES-256-GCM with header protection and a replay window, keyed per direction from the link keys.</summary>
    public static IPacketProtector For(LinkKeys keys) => new AesGcmPacketProtector(keys.SendKey, keys.ReceiveKey);
}

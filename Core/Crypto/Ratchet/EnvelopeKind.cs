// The kind byte of a message envelope: a normal ratchet message or a prekey (session-starting) message.
namespace P2PChat.Core.Crypto.Ratchet;

/// <summary>The two envelope kinds.</summary>
public enum EnvelopeKind : byte
{
    Ratchet = 0x01,
    Prekey = 0x02,
}

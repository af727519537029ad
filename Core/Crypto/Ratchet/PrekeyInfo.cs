// The X3DH fields a prekey envelope carries: who starts the session, with which ephemeral key and which prekeys.
using P2PChat.Core.Crypto.Identity;

namespace P2PChat.Core.Crypto.Ratchet;

/// <summary>What a prekey message says about how the initiator started the session.</summary>
public sealed record PrekeyInfo(IdentityPublicKey InitiatorIdentity, ReadOnlyMemory<byte> BaseKey, uint SignedPrekeyId, uint? OneTimePrekeyId);

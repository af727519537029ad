// Why a cryptographic operation refused its input: the single reason code carried by CryptoProtocolException.
namespace P2PChat.Core.Crypto;

/// <summary>The reason an input was rejected. Every rejection leaves the state it was applied to unchanged.</summary>
public enum CryptoFailure
{
    /// <summary>Bytes do not follow the documented layout (too short, too long, bad flag).</summary>
    Malformed,
    /// <summary>A version or kind byte this code does not speak.</summary>
    UnsupportedVersion,
    /// <summary>A public or private key is not a valid X25519 or Ed25519 key (or gives a low-order DH output).</summary>
    InvalidKey,
    /// <summary>An Ed25519 signature does not verify.</summary>
    BadSignature,
    /// <summary>AEAD authentication failed: tampered, forged, or encrypted under another key.</summary>
    AuthenticationFailed,
    /// <summary>The message was already received (its key is gone) or is a replayed packet.</summary>
    Replayed,
    /// <summary>Accepting the message would require skipping more message keys than allowed.</summary>
    TooManySkippedMessages,
    /// <summary>The peer proved an identity other than the one expected.</summary>
    UnexpectedIdentity,
    /// <summary>The password does not unlock this vault.</summary>
    WrongPassword,
    /// <summary>The operation is not allowed in the object's current state (e.g. a handshake step out of order).</summary>
    InvalidState,
    /// <summary>The message refers to a key (prekey, sender key) this side does not hold.</summary>
    UnknownKey,
    /// <summary>A counter would wrap; the keys must be replaced.</summary>
    KeyExhausted,
    /// <summary>The bytes were made by an earlier P2PChat with the retired P-256 suite (suite byte 0x01): make new keys.</summary>
    RetiredSuite,
}

// The AES-256-GCM variant of the packet protection (overhead 24): the transport's default before keys are agreed differently, and the benchmark baseline.
using P2PChat.Core.Crypto.Primitives;

namespace P2PChat.Core.Transport.Protection;

/// <summary>
/// <see cref="AeadPacketProtector"/> over AES-256-GCM (BCL): AEAD key 32 bytes, nonce base 12 bytes, tag 16 bytes, so
/// <c>masked sequence (8) | ciphertext | tag (16)</c>, overhead 24. Byte-for-byte the construction links used before
/// issue 9 measured AEGIS-128L faster; transport tests and the transport benchmark key connections with it.
/// </summary>
public sealed class AesGcmPacketProtector(ReadOnlySpan<byte> sendKey, ReadOnlySpan<byte> receiveKey)
    : AeadPacketProtector(AeadCipher.Aes256Gcm, sendKey, receiveKey);

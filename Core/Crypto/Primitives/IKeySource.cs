// The randomness seam: every private key and nonce the crypto layer makes comes from here, so tests can fix them.
namespace P2PChat.Core.Crypto.Primitives;

/// <summary>Source of fresh private keys and random bytes. Production uses <see cref="SystemKeySource"/>.</summary>
public interface IKeySource
{
    /// <summary>
    /// 32 fresh random bytes: an X25519 private key or an Ed25519 seed (every 32-byte string is a valid one of each;
    /// X25519 clamps it). The caller owns and wipes it.
    /// </summary>
    byte[] NewPrivateKey();

    /// <summary>Fills <paramref name="destination"/> with random bytes (salts, nonces, key ids, chain keys).</summary>
    void Fill(Span<byte> destination);
}

// The randomness seam: every private key and nonce the crypto layer makes comes from here, so tests can fix them.
namespace P2PChat.Core.Crypto.Primitives;

/// <summary>Source of fresh P-256 private keys and random bytes. Production uses <see cref="SystemKeySource"/>.</summary>
public interface IKeySource
{
    /// <summary>A new, valid P-256 private scalar (32 bytes big-endian). The caller owns and wipes it.</summary>
    byte[] NewP256PrivateKey();

    /// <summary>Fills <paramref name="destination"/> with random bytes (salts, nonces, key ids, chain keys).</summary>
    void Fill(Span<byte> destination);
}

// Who runs SHA-256's compression for Sha256State: libcrypto.so.3 where it loads, else the managed implementation.
namespace P2PChat.Core.Crypto.Primitives;

/// <summary>
/// Both backends take the state as the eight words H0..H7 and the input as bytes. <see cref="Default"/> is chosen once
/// per process: <see cref="LibcryptoSha256"/> when libcrypto.so.3 (or libcrypto.so) loads and exports the low-level
/// SHA-256 functions, else <see cref="ManagedSha256"/> (correct everywhere, several times slower: no SHA extensions).
/// <c>P2PCHAT_SHA256=managed</c> forces the managed one (to compare or to rule OpenSSL out).
/// </summary>
internal abstract class Sha256Backend
{
    public static Sha256Backend Default { get; } = Choose();

    /// <summary>Compresses <paramref name="blocks"/> (a non-zero whole number of 64-byte blocks) into <paramref name="h"/>.</summary>
    public abstract void Compress(ref Sha256State.Words h, ReadOnlySpan<byte> blocks);

    /// <summary>Hashes <paramref name="tail"/> from <paramref name="h"/>, pads for a message of
    /// <paramref name="totalLength"/> bytes (checked by the caller) and writes the 32-byte digest.</summary>
    public abstract void Finish(Sha256State.Words h, ReadOnlySpan<byte> tail, long totalLength, Span<byte> digest);

    public abstract string Name { get; }

    private static Sha256Backend Choose() =>
        string.Equals(Environment.GetEnvironmentVariable("P2PCHAT_SHA256"), "managed", StringComparison.OrdinalIgnoreCase)
            ? ManagedSha256.Instance
            : LibcryptoSha256.TryLoad() ?? (Sha256Backend)ManagedSha256.Instance;
}

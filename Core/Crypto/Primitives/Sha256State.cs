// SHA-256 with its chaining state in the open: start from any state, compress whole blocks, finish with a tail.
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace P2PChat.Core.Crypto.Primitives;

/// <summary>
/// The eight 32-bit words H0..H7 that SHA-256 (FIPS 180-4, section 6.2) carries from one 64-byte block to the next.
/// <see cref="Initial"/> is the standard initial value; <see cref="Compress"/> runs the compression function over whole
/// blocks from this state; <see cref="Finish"/> hashes the tail (any length) with the padding for a message of the
/// given total length and gives the digest. So for any split of a message at 64-byte boundaries,
/// <c>Initial.Compress(a).Compress(b).Finish(tail, total)</c> is <c>SHA256(a | b | tail)</c>, and a state can be
/// exported (<see cref="WriteTo"/>, 32 bytes: H0..H7, each big-endian, the digest's own encoding) and imported
/// (<see cref="Read"/>) anywhere in between. The work is done by libcrypto.so.3 where it loads (OpenSSL uses the
/// CPU's SHA extensions), else by a portable managed implementation (<see cref="Sha256Backend"/>); both give the same
/// results (tested against each other and against <see cref="System.Security.Cryptography.SHA256"/>).
/// </summary>
public readonly struct Sha256State : IEquatable<Sha256State>
{
    public const int Length = 32;
    public const int BlockLength = 64;
    public const int DigestLength = 32;
    /// <summary>SHA-256 hashes messages shorter than 2^64 bits.</summary>
    public const long MaxMessageLength = long.MaxValue / 4;

    private readonly Words _h;

    [InlineArray(8)]
    internal struct Words
    {
        private uint _e0;
    }

    internal Sha256State(Words h) => _h = h;

    /// <summary>H(0) of FIPS 180-4 section 5.3.3: the state before the first block.</summary>
    public static Sha256State Initial
    {
        get
        {
            var h = new Words();
            h[0] = 0x6a09e667; h[1] = 0xbb67ae85; h[2] = 0x3c6ef372; h[3] = 0xa54ff53a;
            h[4] = 0x510e527f; h[5] = 0x9b05688c; h[6] = 0x1f83d9ab; h[7] = 0x5be0cd19;
            return new Sha256State(h);
        }
    }

    internal Words H => _h;

    /// <summary>Reads a state exported by <see cref="WriteTo"/> (32 bytes: H0..H7 big-endian).</summary>
    public static Sha256State Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < Length) throw new ArgumentException($"a SHA-256 state is {Length} bytes", nameof(bytes));
        var h = new Words();
        for (var i = 0; i < 8; i++) h[i] = BinaryPrimitives.ReadUInt32BigEndian(bytes[(4 * i)..]);
        return new Sha256State(h);
    }

    public void WriteTo(Span<byte> destination)
    {
        if (destination.Length < Length) throw new ArgumentException($"a SHA-256 state is {Length} bytes", nameof(destination));
        for (var i = 0; i < 8; i++) BinaryPrimitives.WriteUInt32BigEndian(destination[(4 * i)..], _h[i]);
    }

    public byte[] ToBytes()
    {
        var bytes = new byte[Length];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>The state after <paramref name="blocks"/> (a whole number of 64-byte blocks, none padded) from this one.</summary>
    public Sha256State Compress(ReadOnlySpan<byte> blocks) => Compress(blocks, Sha256Backend.Default);

    internal Sha256State Compress(ReadOnlySpan<byte> blocks, Sha256Backend backend)
    {
        if (blocks.Length % BlockLength != 0) throw new ArgumentException($"{blocks.Length} bytes is not a whole number of 64-byte blocks", nameof(blocks));
        if (blocks.IsEmpty) return this;
        var h = _h;
        backend.Compress(ref h, blocks);
        return new Sha256State(h);
    }

    /// <summary>The SHA-256 of a message of <paramref name="totalLength"/> bytes whose first
    /// <c>totalLength - tail.Length</c> bytes (a multiple of 64) brought SHA-256 to this state and whose last bytes are
    /// <paramref name="tail"/> (any length): the tail's whole blocks are compressed, then the rest with the padding
    /// (0x80, zeros, the length in bits as u64 BE).</summary>
    public void Finish(ReadOnlySpan<byte> tail, long totalLength, Span<byte> digest) => Finish(tail, totalLength, digest, Sha256Backend.Default);

    internal void Finish(ReadOnlySpan<byte> tail, long totalLength, Span<byte> digest, Sha256Backend backend)
    {
        var before = totalLength - tail.Length;
        if (totalLength is < 0 or > MaxMessageLength || before < 0 || before % BlockLength != 0)
            throw new ArgumentException($"a tail of {tail.Length} bytes cannot end a message of {totalLength} bytes from a block boundary", nameof(totalLength));
        if (digest.Length < DigestLength) throw new ArgumentException($"a SHA-256 digest is {DigestLength} bytes", nameof(digest));
        backend.Finish(_h, tail, totalLength, digest);
    }

    public byte[] Finish(ReadOnlySpan<byte> tail, long totalLength)
    {
        var digest = new byte[DigestLength];
        Finish(tail, totalLength, digest);
        return digest;
    }

    public bool Equals(Sha256State other) => ((ReadOnlySpan<uint>)_h).SequenceEqual(other._h);

    public override bool Equals(object? obj) => obj is Sha256State other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_h[0], _h[1], _h[7]);

    public static bool operator ==(Sha256State a, Sha256State b) => a.Equals(b);

    public static bool operator !=(Sha256State a, Sha256State b) => !a.Equals(b);

    public override string ToString() => Convert.ToHexStringLower(ToBytes());
}

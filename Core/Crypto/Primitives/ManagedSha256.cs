// The portable SHA-256 block function (FIPS 180-4, section 6.2.2), for machines without libcrypto.so.3.
using System.Buffers.Binary;
using System.Numerics;

namespace P2PChat.Core.Crypto.Primitives;

/// <summary>Plain scalar code: correct on any platform, a few hundred MB/s (no SHA extensions). Also the reference the
/// libcrypto backend is tested against.</summary>
internal sealed class ManagedSha256 : Sha256Backend
{
    public static readonly ManagedSha256 Instance = new();

    public override string Name => "managed";

    // FIPS 180-4 section 4.2.2: the first 32 bits of the fractional parts of the cube roots of the first 64 primes.
    private static ReadOnlySpan<uint> K =>
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    public override void Compress(ref Sha256State.Words h, ReadOnlySpan<byte> blocks)
    {
        Span<uint> w = stackalloc uint[64];
        for (var offset = 0; offset < blocks.Length; offset += Sha256State.BlockLength)
        {
            var block = blocks.Slice(offset, Sha256State.BlockLength);
            for (var t = 0; t < 16; t++) w[t] = BinaryPrimitives.ReadUInt32BigEndian(block[(4 * t)..]);
            for (var t = 16; t < 64; t++)
            {
                uint s0 = BitOperations.RotateRight(w[t - 15], 7) ^ BitOperations.RotateRight(w[t - 15], 18) ^ (w[t - 15] >> 3);
                uint s1 = BitOperations.RotateRight(w[t - 2], 17) ^ BitOperations.RotateRight(w[t - 2], 19) ^ (w[t - 2] >> 10);
                w[t] = w[t - 16] + s0 + w[t - 7] + s1;
            }
            uint a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
            for (var t = 0; t < 64; t++)
            {
                uint t1 = hh + (BitOperations.RotateRight(e, 6) ^ BitOperations.RotateRight(e, 11) ^ BitOperations.RotateRight(e, 25))
                    + ((e & f) ^ (~e & g)) + K[t] + w[t];
                uint t2 = (BitOperations.RotateRight(a, 2) ^ BitOperations.RotateRight(a, 13) ^ BitOperations.RotateRight(a, 22))
                    + ((a & b) ^ (a & c) ^ (b & c));
                hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
            }
            h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
        }
    }

    public override void Finish(Sha256State.Words h, ReadOnlySpan<byte> tail, long totalLength, Span<byte> digest)
    {
        var whole = tail.Length - tail.Length % Sha256State.BlockLength;
        if (whole > 0) Compress(ref h, tail[..whole]);
        // FIPS 180-4 section 5.1.1: the rest, 0x80, zeros to 56 mod 64, the length in bits as u64 BE (one or two blocks).
        Span<byte> last = stackalloc byte[2 * Sha256State.BlockLength];
        last.Clear();
        var rest = tail[whole..];
        rest.CopyTo(last);
        last[rest.Length] = 0x80;
        var length = rest.Length < 56 ? Sha256State.BlockLength : 2 * Sha256State.BlockLength;
        BinaryPrimitives.WriteUInt64BigEndian(last[(length - 8)..], (ulong)totalLength * 8);
        Compress(ref h, last[..length]);
        new Sha256State(h).WriteTo(digest);
    }
}

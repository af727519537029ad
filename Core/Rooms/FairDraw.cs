// Uniform numbers from a commit-reveal seed: rejection sampling, so no value is favoured by a modulo.
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace P2PChat.Core.Rooms;

/// <summary>
/// Draw i of a seed: SHA-256(seed | i u32 | counter u32) read as a u64, retried with the next counter while it falls in
/// the biased tail (≥ the largest multiple of n). Deterministic: every member derives the same numbers from a seed.
/// </summary>
public static class FairDraw
{
    public static int Uniform(ReadOnlySpan<byte> seed, uint index, int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n));
        var limit = ulong.MaxValue - ulong.MaxValue % (ulong)n;
        Span<byte> input = stackalloc byte[seed.Length + 8];
        seed.CopyTo(input);
        Span<byte> hash = stackalloc byte[32];
        for (uint counter = 0; ; counter++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(input[seed.Length..], index);
            BinaryPrimitives.WriteUInt32BigEndian(input[(seed.Length + 4)..], counter);
            SHA256.HashData(input, hash);
            var value = BinaryPrimitives.ReadUInt64BigEndian(hash);
            if (value < limit) return (int)(value % (ulong)n);
        }
    }
}

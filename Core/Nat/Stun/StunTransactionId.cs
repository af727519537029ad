// The 96-bit STUN transaction id: random per request, copied into the answer, used to match the two.
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace P2PChat.Core.Nat.Stun;

public readonly record struct StunTransactionId(ulong High, uint Low)
{
    public static StunTransactionId NewRandom()
    {
        Span<byte> bytes = stackalloc byte[StunConstants.TransactionIdLength];
        RandomNumberGenerator.Fill(bytes);
        return Read(bytes);
    }

    public static StunTransactionId Read(ReadOnlySpan<byte> twelve) =>
        new(BinaryPrimitives.ReadUInt64BigEndian(twelve), BinaryPrimitives.ReadUInt32BigEndian(twelve[8..]));

    public void Write(Span<byte> twelve)
    {
        BinaryPrimitives.WriteUInt64BigEndian(twelve, High);
        BinaryPrimitives.WriteUInt32BigEndian(twelve[8..], Low);
    }

    public override string ToString() => $"{High:x16}{Low:x8}";
}

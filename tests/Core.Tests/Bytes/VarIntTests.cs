// Round-trip and boundary tests of the QUIC varint codec.
using FsCheck;
using FsCheck.Fluent;
using P2PChat.Core.Transport;
using P2PChat.Core.Bytes;
using Xunit;

namespace P2PChat.Core.Tests.Bytes;

public sealed class VarIntTests
{
    [Fact]
    public void Any_62_bit_value_round_trips_in_the_size_it_announces()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<ulong>(), raw =>
        {
            ulong value = raw >> 2;
            Span<byte> buffer = stackalloc byte[8];
            int written = VarInt.Write(buffer, value);
            return written == VarInt.SizeOf(value)
                   && VarInt.TryRead(buffer[..written], out ulong read, out int length)
                   && read == value && length == written;
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData(63UL, 1)]
    [InlineData(64UL, 2)]
    [InlineData(16383UL, 2)]
    [InlineData(16384UL, 4)]
    [InlineData((1UL << 30) - 1, 4)]
    [InlineData(1UL << 30, 8)]
    [InlineData((1UL << 62) - 1, 8)]
    public void Sizes_switch_at_the_documented_boundaries(ulong value, int size) => Assert.Equal(size, VarInt.SizeOf(value));

    [Fact]
    public void Truncated_input_is_rejected()
    {
        Span<byte> buffer = stackalloc byte[8];
        int written = VarInt.Write(buffer, 1UL << 40);
        Assert.False(VarInt.TryRead(buffer[..(written - 1)], out _, out _));
        Assert.False(VarInt.TryRead([], out _, out _));
    }

    [Fact]
    public void Values_above_62_bits_cannot_be_encoded() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => VarInt.SizeOf(1UL << 62));
}

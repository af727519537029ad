// The non-throwing reads of ByteReader the transport's packet parsers use: false and the position unchanged on bad input.
using P2PChat.Core.Bytes;
using Xunit;

namespace P2PChat.Core.Tests.Bytes;

public sealed class ByteReaderTryTests
{
    [Fact]
    public void Reads_that_fit_advance_and_reads_that_do_not_return_false_without_moving()
    {
        var reader = new ByteReader([0x07, 0x40, 0x25, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01]);

        Assert.True(reader.TryReadByte(out var first));
        Assert.Equal(0x07, first);
        Assert.True(reader.TryReadVarInt(out ulong twoByte));
        Assert.Equal(0x25UL, twoByte);
        Assert.Equal(3, reader.Position);

        Assert.False(reader.TryReadUInt64(out _));     // 7 bytes left
        Assert.False(reader.TryReadBytes(8, out _));
        Assert.False(reader.TryReadBytes(-1, out _));
        Assert.Equal(3, reader.Position);

        Assert.True(reader.TryReadBytes(7, out var rest));
        Assert.Equal(7, rest.Length);
        Assert.True(reader.End);
        Assert.False(reader.TryReadByte(out _));
    }

    [Fact]
    public void A_varint_over_the_callers_maximum_is_refused_and_leaves_the_position_where_it_was()
    {
        var reader = new ByteReader([0x40, 0x25]);   // 37 in two bytes

        Assert.False(reader.TryReadVarInt(36, out _));
        Assert.Equal(0, reader.Position);
        Assert.True(reader.TryReadVarInt(37, out long value));
        Assert.Equal(37, value);
    }

    [Fact]
    public void The_throwing_and_the_trying_forms_agree_on_what_is_too_short()
    {
        var reader = new ByteReader([1, 2, 3]);

        Assert.False(reader.TryReadUInt64(out _));
        var error = Assert.Throws<MalformedInputException>(() => new ByteReader([1, 2, 3]).ReadUInt64());
        Assert.Equal(MalformedKind.Truncated, error.Kind);
    }
}

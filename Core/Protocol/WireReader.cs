// Field readers over a SequenceReader<byte>: the only place that decodes primitive wire fields.
using System.Buffers;
using System.Text;

namespace P2PChat.Core.Protocol;

/// <summary>Reads big-endian integers, tags and length-prefixed fields; throws <see cref="ProtocolException"/> on short or invalid input.</summary>
internal static class WireReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static byte U8(ref SequenceReader<byte> r) =>
        r.TryRead(out var v) ? v : throw Truncated();

    public static ushort U16(ref SequenceReader<byte> r) =>
        r.TryReadBigEndian(out short v) ? (ushort)v : throw Truncated();

    public static uint U32(ref SequenceReader<byte> r) =>
        r.TryReadBigEndian(out int v) ? (uint)v : throw Truncated();

    public static long I64(ref SequenceReader<byte> r) =>
        r.TryReadBigEndian(out long v) ? v : throw Truncated();

    public static ulong U64(ref SequenceReader<byte> r) => (ulong)I64(ref r);

    public static Tag Tag(ref SequenceReader<byte> r) => new(U32(ref r));

    public static bool Bool(ref SequenceReader<byte> r) => U8(ref r) switch
    {
        0 => false,
        1 => true,
        var b => throw new ProtocolException(StatusCode.MalformedFrame, $"boolean field holds {b}"),
    };

    public static T Enum<T>(ref SequenceReader<byte> r) where T : struct, System.Enum
    {
        var b = U8(ref r);
        var value = (T)(object)b;
        return System.Enum.IsDefined(value) ? value : throw new ProtocolException(StatusCode.MalformedFrame, $"{typeof(T).Name} {b} is not defined");
    }

    public static string Str8(ref SequenceReader<byte> r) => Utf8(ref r, U8(ref r));

    public static string Str16(ref SequenceReader<byte> r) => Utf8(ref r, U16(ref r));

    public static string Utf8(ref SequenceReader<byte> r, int count)
    {
        if (r.Remaining < count) throw Truncated();
        var slice = r.UnreadSequence.Slice(0, count);
        r.Advance(count);
        try { return StrictUtf8.GetString(slice); }
        catch (DecoderFallbackException) { throw new ProtocolException(StatusCode.MalformedFrame, "text is not valid UTF-8"); }
    }

    public static byte[] Bytes16(ref SequenceReader<byte> r) => Bytes(ref r, U16(ref r));

    public static byte[] Bytes32(ref SequenceReader<byte> r) => Bytes(ref r, U32(ref r));

    private static byte[] Bytes(ref SequenceReader<byte> r, long count)
    {
        // The count is checked against what is actually there before anything is allocated.
        if (r.Remaining < count) throw Truncated();
        var bytes = new byte[count];
        r.TryCopyTo(bytes);
        r.Advance(count);
        return bytes;
    }

    public static Tag[] Tags(ref SequenceReader<byte> r)
    {
        var n = U32(ref r);
        if (r.Remaining < n * 4L) throw Truncated();
        var tags = new Tag[n];
        for (var i = 0; i < tags.Length; i++) tags[i] = Tag(ref r);
        return tags;
    }

    private static ProtocolException Truncated() => new(StatusCode.MalformedFrame, "frame ends before its fields do");
}

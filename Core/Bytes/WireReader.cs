// Field readers over a SequenceReader<byte> (possibly split across segments): the protocol's primitive wire fields.
using System.Buffers;
using System.Text;

namespace P2PChat.Core.Bytes;

/// <summary>
/// Reads big-endian integers, enums and length-prefixed fields (the protocol adds tags, Core/Protocol/WireFields.cs).
/// Short or invalid input throws <see cref="MalformedInputException"/>, the convention of every reader here; the frame
/// codec turns it into its ProtocolException (MalformedFrame).
/// </summary>
public static class WireReader
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

    public static bool Bool(ref SequenceReader<byte> r) => U8(ref r) switch
    {
        0 => false,
        1 => true,
        var b => throw new MalformedInputException(MalformedKind.InvalidValue, $"boolean field holds {b}"),
    };

    public static T Enum<T>(ref SequenceReader<byte> r) where T : struct, System.Enum
    {
        var b = U8(ref r);
        var value = (T)(object)b;
        return System.Enum.IsDefined(value) ? value : throw new MalformedInputException(MalformedKind.InvalidValue, $"{typeof(T).Name} {b} is not defined");
    }

    public static string Str8(ref SequenceReader<byte> r) => Utf8(ref r, U8(ref r));

    public static string Str16(ref SequenceReader<byte> r) => Utf8(ref r, U16(ref r));

    public static string Utf8(ref SequenceReader<byte> r, int count)
    {
        if (r.Remaining < count) throw Truncated();
        var slice = r.UnreadSequence.Slice(0, count);
        r.Advance(count);
        try { return StrictUtf8.GetString(slice); }
        catch (DecoderFallbackException) { throw new MalformedInputException(MalformedKind.InvalidValue, "text is not valid UTF-8"); }
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

    /// <summary>The error of a field that runs past the end of the input.</summary>
    public static MalformedInputException Truncated() => new(MalformedKind.Truncated, "input ends before its fields do");
}

// The file transfer protocol's frames: header layout, per-type body layouts and limits. No I/O.
using P2PChat.Core.Bytes;
using System.Buffers;
using System.Buffers.Binary;
using P2PChat.Core.Protocol;

namespace P2PChat.Core.Files;

/// <summary>
/// <code>
/// frame    := type u8 | body length u32 BE | body
/// Offer    8     manifest (FileManifestCodec)
/// Accept   9     id (16) | held chunks (ChunkBitmapCodec)
/// Reject   10    id (16) | reason length u16 BE | reason UTF-8
/// Cancel   11    id (16) | reason length u16 BE | reason UTF-8
/// Done     12    id (16)
/// Ack      13    id (16) | acknowledged type u8
/// Failed   14    id (16) | reason length u16 BE | reason UTF-8
/// Hello    0x20  id (16)
/// Ready    0x21  (empty)
/// Refused  0x22  reason length u16 BE | reason UTF-8
/// Request  0x23  entry u32 BE | first chunk u32 BE | count u32 BE
/// Chunk    0x24  entry u32 BE | chunk u32 BE | data (1 to chunk size bytes)
/// </code>
/// Body limits: Offer <see cref="MaxOfferBody"/>, Chunk 8 + 16 MiB, any other <see cref="MaxControlBody"/>. A longer
/// length, an unknown type or a body that does not parse exactly throws <see cref="FileProtocolException"/>.
/// </summary>
public static class TransferFrameCodec
{
    public const int HeaderLength = 5;
    public const int MaxOfferBody = 32 * 1024 * 1024;
    public const int MaxControlBody = 128 * 1024;
    public const int ChunkHeaderLength = 8;
    public const int MaxChunkBody = ChunkHeaderLength + FileManifest.MaxChunkSize;

    /// <summary>The largest body a frame of <paramref name="type"/> may carry; 0 for an unknown type.</summary>
    public static int MaxBody(byte type) => (TransferMessageType)type switch
    {
        TransferMessageType.Offer => MaxOfferBody,
        TransferMessageType.Chunk => MaxChunkBody,
        var t when Enum.IsDefined(t) => MaxControlBody,
        _ => 0,
    };

    /// <summary>Checks a frame header; returns the body length.</summary>
    public static int ReadHeader(ReadOnlySpan<byte> header, out TransferMessageType type)
    {
        type = (TransferMessageType)header[0];
        var max = MaxBody(header[0]);
        if (max == 0) throw new FileProtocolException($"unknown file transfer message type {header[0]}");
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        if (length > max) throw new FileProtocolException($"a {type} frame of {length} bytes exceeds {max}");
        return (int)length;
    }

    public static byte[] Encode(TransferMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var w = new WireWriter(buffer);
        w.U8((byte)message.Type);
        w.U32(0);
        switch (message)
        {
            case OfferMessage m: w.Raw(FileManifestCodec.Encode(m.Manifest)); break;
            case AcceptMessage m: w.Raw(m.Id.ToBytes()); w.Raw(ChunkBitmapCodec.Encode(m.Held)); break;
            case RejectMessage m: w.Raw(m.Id.ToBytes()); w.Str16(Clip(m.Reason)); break;
            case CancelMessage m: w.Raw(m.Id.ToBytes()); w.Str16(Clip(m.Reason)); break;
            case FailedMessage m: w.Raw(m.Id.ToBytes()); w.Str16(Clip(m.Reason)); break;
            case DoneMessage m: w.Raw(m.Id.ToBytes()); break;
            case AckMessage m: w.Raw(m.Id.ToBytes()); w.U8((byte)m.Of); break;
            case HelloMessage m: w.Raw(m.Id.ToBytes()); break;
            case ReadyMessage: break;
            case RefusedMessage m: w.Str16(Clip(m.Reason)); break;
            case RequestMessage m: w.U32((uint)m.Entry); w.U32((uint)m.First); w.U32((uint)m.Count); break;
            case ChunkMessage m: w.U32((uint)m.Entry); w.U32((uint)m.Index); w.Raw(m.Data.Span); break;
        }
        var frame = buffer.WrittenSpan.ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)(frame.Length - HeaderLength));
        return frame;
    }

    /// <summary>Writes a chunk frame's header (the data follows it) into <paramref name="destination"/>.</summary>
    public static void WriteChunkHeader(Span<byte> destination, int entry, int index, int length)
    {
        destination[0] = (byte)TransferMessageType.Chunk;
        BinaryPrimitives.WriteUInt32BigEndian(destination[1..], (uint)(ChunkHeaderLength + length));
        BinaryPrimitives.WriteUInt32BigEndian(destination[5..], (uint)entry);
        BinaryPrimitives.WriteUInt32BigEndian(destination[9..], (uint)index);
    }

    /// <summary>Reads a Chunk body's first <see cref="ChunkHeaderLength"/> bytes: entry and chunk index.</summary>
    public static (int Entry, int Index) ReadChunkHeader(ReadOnlySpan<byte> header) => (Index32(header), Index32(header[4..]));

    /// <summary>Decodes a body of <paramref name="type"/>. A Chunk's data is a slice of <paramref name="body"/> (not copied).</summary>
    public static TransferMessage Decode(TransferMessageType type, ReadOnlyMemory<byte> body)
    {
        try
        {
            if (type == TransferMessageType.Chunk)
            {
                if (body.Length <= ChunkHeaderLength) throw new FileProtocolException("a chunk frame without data");
                var span = body.Span;
                return new ChunkMessage(Index32(span), Index32(span[4..]), body[ChunkHeaderLength..]);
            }
            if (type == TransferMessageType.Offer) return new OfferMessage(FileManifestCodec.Decode(body.Span));
            var r = new SequenceReader<byte>(new ReadOnlySequence<byte>(body));
            TransferMessage message = type switch
            {
                TransferMessageType.Accept => new AcceptMessage(Id(ref r), ChunkBitmapCodec.Decode(Rest(ref r))),
                TransferMessageType.Reject => new RejectMessage(Id(ref r), WireReader.Str16(ref r)),
                TransferMessageType.Cancel => new CancelMessage(Id(ref r), WireReader.Str16(ref r)),
                TransferMessageType.Failed => new FailedMessage(Id(ref r), WireReader.Str16(ref r)),
                TransferMessageType.Done => new DoneMessage(Id(ref r)),
                TransferMessageType.Ack => new AckMessage(Id(ref r), AckedType(WireReader.U8(ref r))),
                TransferMessageType.Hello => new HelloMessage(Id(ref r)),
                TransferMessageType.Ready => new ReadyMessage(),
                TransferMessageType.Refused => new RefusedMessage(WireReader.Str16(ref r)),
                TransferMessageType.Request => new RequestMessage(Index32(ref r), Index32(ref r), Index32(ref r)),
                _ => throw new FileProtocolException($"unknown file transfer message type {(byte)type}"),
            };
            if (!r.End) throw new FileProtocolException($"{r.Remaining} bytes after a {type} message");
            return message;
        }
        catch (MalformedInputException e)
        {
            throw new FileProtocolException($"malformed {type} message: {e.Message}");
        }
    }

    private static TransferId Id(ref SequenceReader<byte> r)
    {
        Span<byte> bytes = stackalloc byte[TransferId.Length];
        if (!r.TryCopyTo(bytes)) throw new FileProtocolException("a message ends inside its transfer id");
        r.Advance(TransferId.Length);
        return TransferId.Read(bytes);
    }

    private static byte[] Rest(ref SequenceReader<byte> r)
    {
        var rest = r.UnreadSequence.ToArray();
        r.Advance(rest.Length);
        return rest;
    }

    private static TransferMessageType AckedType(byte b) =>
        b is >= 8 and <= 14 ? (TransferMessageType)b : throw new FileProtocolException($"an ack of message type {b}");

    private static int Index32(ref SequenceReader<byte> r) => Index32(WireReader.U32(ref r));

    private static int Index32(ReadOnlySpan<byte> span) => Index32(BinaryPrimitives.ReadUInt32BigEndian(span));

    private static int Index32(uint value) =>
        value <= int.MaxValue ? (int)value : throw new FileProtocolException($"an index of {value}");

    /// <summary>Reasons are for people: at most 500 characters go on the wire.</summary>
    private static string Clip(string reason) => reason.Length <= 500 ? reason : reason[..500];
}

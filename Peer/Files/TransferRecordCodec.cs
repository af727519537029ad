// A transfer record as stored in the profile (transfers/ID.transfer): layout and checks. No I/O.
using P2PChat.Core.Bytes;
using System.Buffers;
using P2PChat.Core.Files;
using P2PChat.Core.Protocol;

namespace P2PChat.Peer.Files;

/// <summary>
/// <code>
/// "P2PX" | version u8 (1) | direction u8 | status u8 | owed u8 (a TransferMessageType, 0 none) | peer tag u32 BE
/// | peer name, path, top name, reason (each u16 BE length + UTF-8) | created i64 BE (Unix ms) | manifest (the rest)
/// </code>
/// </summary>
public static class TransferRecordCodec
{
    private static ReadOnlySpan<byte> Magic => "P2PX"u8;
    public const byte Version = 1;

    public static byte[] Encode(TransferRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var w = new WireWriter(buffer);
        w.Raw(Magic);
        w.U8(Version);
        w.U8((byte)record.Direction);
        w.U8((byte)record.Status);
        w.U8((byte)record.Owed);
        w.Tag(record.Peer);
        w.Str16(record.PeerName);
        w.Str16(record.Path);
        w.Str16(record.TopName);
        w.Str16(record.Reason.Length > 1000 ? record.Reason[..1000] : record.Reason);
        w.I64(record.Created.ToUnixTimeMilliseconds());
        w.Raw(FileManifestCodec.Encode(record.Manifest));
        return buffer.WrittenSpan.ToArray();
    }

    /// <exception cref="FileProtocolException">not a transfer record, or a damaged one.</exception>
    public static TransferRecord Decode(byte[] bytes)
    {
        if (bytes.Length < 5 || !bytes.AsSpan(0, 4).SequenceEqual(Magic) || bytes[4] != Version) throw new FileProtocolException("not a transfer record");
        try
        {
            var r = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes, 5, bytes.Length - 5));
            var direction = Defined<TransferDirection>(Read.U8(ref r));
            var status = Defined<TransferStatus>(Read.U8(ref r));
            var owed = (TransferMessageType)Read.U8(ref r);
            var peer = new Tag(Read.U32(ref r));
            var peerName = Read.Str16(ref r);
            var path = Read.Str16(ref r);
            var top = Read.Str16(ref r);
            var reason = Read.Str16(ref r);
            var created = DateTimeOffset.FromUnixTimeMilliseconds(Read.I64(ref r));
            var manifest = FileManifestCodec.Decode(r.UnreadSequence);
            return new TransferRecord
            {
                Direction = direction, Status = status, Owed = owed, Peer = peer, PeerName = peerName, Path = path,
                TopName = top, Reason = reason, Created = created, Manifest = manifest,
            };
        }
        catch (EndOfStreamException)
        {
            throw new FileProtocolException("damaged transfer record: it ends before its fields do");
        }
    }

    /// <summary>Big-endian fields of a stored record (the wire readers are Core's own).</summary>
    private static class Read
    {
        public static byte U8(ref SequenceReader<byte> r) => r.TryRead(out var v) ? v : throw new EndOfStreamException();
        public static uint U32(ref SequenceReader<byte> r) => r.TryReadBigEndian(out int v) ? (uint)v : throw new EndOfStreamException();
        public static long I64(ref SequenceReader<byte> r) => r.TryReadBigEndian(out long v) ? v : throw new EndOfStreamException();

        public static string Str16(ref SequenceReader<byte> r)
        {
            var n = r.TryReadBigEndian(out short v) ? (ushort)v : throw new EndOfStreamException();
            if (r.Remaining < n) throw new EndOfStreamException();
            var text = System.Text.Encoding.UTF8.GetString(r.UnreadSequence.Slice(0, n).ToArray());
            r.Advance(n);
            return text;
        }
    }

    private static T Defined<T>(byte b) where T : struct, Enum =>
        Enum.IsDefined((T)(object)b) ? (T)(object)b : throw new FileProtocolException($"{typeof(T).Name} {b} in a transfer record");
}

// Splits a byte stream into frames and writes frames back: the header, the size limit and the opcode dispatch.
using P2PChat.Core.Bytes;
using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using P2PChat.Core.Protocol.Frames;

namespace P2PChat.Core.Protocol;

/// <summary>
/// Frame layout: <c>u32 length (big-endian) | u8 opcode | payload</c>, where length = 1 + payload bytes.
/// The length is checked against the limit before anything is allocated; a payload must be consumed exactly.
/// Pure: no I/O. The connection loop feeds it bytes and advances its pipe by what it consumed.
/// </summary>
public static class FrameCodec
{
    public const int HeaderSize = 5;
    public const int DefaultMaxFrameSize = 64 * 1024;

    /// <summary>Reads one whole frame from the front of <paramref name="buffer"/>, if one is there, and slices it off.</summary>
    /// <returns>false when more bytes are needed (nothing consumed).</returns>
    /// <exception cref="ProtocolException">the frame is too large, unknown or malformed.</exception>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, FrameDirection direction, int maxFrameSize,
        [NotNullWhen(true)] out Frame? frame)
    {
        frame = null;
        if (buffer.Length < 4) return false;
        Span<byte> prefix = stackalloc byte[4];
        buffer.Slice(0, 4).CopyTo(prefix);
        var length = BinaryPrimitives.ReadUInt32BigEndian(prefix);
        if (length > (uint)maxFrameSize)
            throw new ProtocolException(StatusCode.FrameTooLarge, $"frame of {length} bytes exceeds the limit of {maxFrameSize}");
        if (length == 0) throw new ProtocolException(StatusCode.MalformedFrame, "frame has no opcode");
        if (buffer.Length < 4 + length) return false;

        var body = buffer.Slice(4, length);
        var reader = new SequenceReader<byte>(body);
        var opcode = (Opcode)WireReader.U8(ref reader);
        try { frame = ReadPayload(opcode, direction, ref reader); }
        catch (MalformedInputException e)
        {
            // The one convention of Core.Bytes' readers, as the protocol states it (STATUS 18 and its reason).
            throw new ProtocolException(StatusCode.MalformedFrame, e.Kind == MalformedKind.Truncated ? "frame ends before its fields do" : e.Message);
        }
        if (!reader.End)
            throw new ProtocolException(StatusCode.MalformedFrame, $"{opcode} frame has {reader.Remaining} bytes after its last field");
        buffer = buffer.Slice(4 + length);
        return true;
    }

    /// <summary>Parses one complete frame held in <paramref name="bytes"/> (header included).</summary>
    public static Frame Parse(ReadOnlySpan<byte> bytes, FrameDirection direction, int maxFrameSize = DefaultMaxFrameSize)
    {
        var seq = new ReadOnlySequence<byte>(bytes.ToArray());
        if (!TryRead(ref seq, direction, maxFrameSize, out var frame))
            throw new ProtocolException(StatusCode.MalformedFrame, "incomplete frame");
        if (!seq.IsEmpty) throw new ProtocolException(StatusCode.MalformedFrame, "bytes after the frame");
        return frame;
    }

    private static Frame ReadPayload(Opcode opcode, FrameDirection direction, ref SequenceReader<byte> r)
    {
        var toServer = direction == FrameDirection.ToServer;
        return opcode switch
        {
            Opcode.Iam => toServer ? Iam.Read(ref r) : IamOk.Read(ref r),
            Opcode.Add when !toServer => AddReader.Read(ref r),
            Opcode.Upd => toServer ? UpdRequest.Read(ref r) : Upd.Read(ref r),
            Opcode.Msg => toServer ? MsgSend.Read(ref r) : MsgDeliver.Read(ref r),
            Opcode.Inv => toServer ? InvSend.Read(ref r) : InvNotify.Read(ref r),
            Opcode.Co => toServer ? CoJoin.Read(ref r) : CoJoined.Read(ref r),
            Opcode.Hello => toServer ? Hello.Read(ref r) : HelloOk.Read(ref r),
            Opcode.Status when !toServer => Frames.Status.Read(ref r),
            Opcode.Register when toServer => Register.Read(ref r),
            Opcode.Nick when toServer => Nick.Read(ref r),
            Opcode.Presence => toServer ? SetPresence.Read(ref r) : PresenceUpdate.Read(ref r),
            Opcode.Ping => Ping.Read(ref r),
            Opcode.Pong => Pong.Read(ref r),
            Opcode.Create when toServer => Create.Read(ref r),
            Opcode.Leave => toServer ? Leave.Read(ref r) : Left.Read(ref r),
            Opcode.Kick when toServer => Kick.Read(ref r),
            Opcode.Ban when toServer => Ban.Read(ref r),
            Opcode.Topic when toServer => Topic.Read(ref r),
            Opcode.Friend when toServer => Friend.Read(ref r),
            Opcode.Ignore when toServer => Ignore.Read(ref r),
            Opcode.Buzz when toServer => Buzz.Read(ref r),
            Opcode.MsgAck when !toServer => MsgAck.Read(ref r),
            Opcode.Resolve when toServer => Resolve.Read(ref r),
            Opcode.Quit when toServer => new Quit(),
            Opcode.OfflineAck when toServer => OfflineAck.Read(ref r),
            Opcode.Prekeys when toServer => Prekeys.Read(ref r),
            Opcode.Bundle => toServer ? BundleRequest.Read(ref r) : Bundle.Read(ref r),
            Opcode.PrekeysLow when !toServer => PrekeysLow.Read(ref r),
            Opcode.Identity when toServer => IdentityChange.Read(ref r),
            Opcode.MsgMulti when toServer => MsgMultiSend.Read(ref r),
            Opcode.MsgMultiAck when !toServer => MsgMultiAck.Read(ref r),
            Opcode.Roster when !toServer => Roster.Read(ref r),
            Opcode.Members when !toServer => MembersPart.Read(ref r),
            Opcode.RosterPage => toServer ? RosterPageRequest.Read(ref r) : RosterPageEnd.Read(ref r),
            Opcode.PresenceBatch when !toServer => PresenceBatch.Read(ref r),
            Opcode.Ticket => toServer ? TicketRequest.Read(ref r) : TicketIssued.Read(ref r),
            Opcode.Resume when toServer => Resume.Read(ref r),
            Opcode.Revoke when toServer => Revoke.Read(ref r),
            Opcode.Link when toServer => LinkRequest.Read(ref r),
            Opcode.Candidates when toServer => LinkCandidates.Read(ref r),
            Opcode.Intro when !toServer => Intro.Read(ref r),
            Opcode.Relay => toServer ? RelaySend.Read(ref r) : RelayDeliver.Read(ref r),
            _ => throw new ProtocolException(StatusCode.MalformedFrame, $"opcode {(byte)opcode} is not valid {(toServer ? "from a client" : "from the server")}"),
        };
    }

    [ThreadStatic] private static ArrayBufferWriter<byte>? s_scratch;

    /// <summary>Writes <paramref name="frame"/> with its header to <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentException">the frame would exceed <paramref name="maxFrameSize"/> or a field its length prefix.</exception>
    public static void Write(IBufferWriter<byte> output, Frame frame, int maxFrameSize = DefaultMaxFrameSize)
    {
        var scratch = s_scratch ??= new ArrayBufferWriter<byte>(256);
        scratch.ResetWrittenCount();
        frame.WritePayload(new WireWriter(scratch));
        var length = 1 + scratch.WrittenCount;
        if (length > maxFrameSize)
            throw new ArgumentException($"{frame.Opcode} frame of {length} bytes exceeds the limit of {maxFrameSize}", nameof(frame));
        var span = output.GetSpan(HeaderSize + scratch.WrittenCount);
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)length);
        span[4] = (byte)frame.Opcode;
        scratch.WrittenSpan.CopyTo(span[HeaderSize..]);
        output.Advance(HeaderSize + scratch.WrittenCount);
        if (scratch.Capacity > 4 * DefaultMaxFrameSize) s_scratch = null;
    }

    /// <summary>The frame's bytes, header included.</summary>
    public static byte[] ToBytes(Frame frame, int maxFrameSize = DefaultMaxFrameSize)
    {
        var w = new ArrayBufferWriter<byte>();
        Write(w, frame, maxFrameSize);
        return w.WrittenSpan.ToArray();
    }
}

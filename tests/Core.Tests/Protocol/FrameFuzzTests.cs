// Random and mutated input never crashes the parser: it yields frames, asks for more bytes, or throws ProtocolException.
using Xunit;
using System.Buffers;
using FsCheck;
using FsCheck.Fluent;
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;

namespace P2PChat.Core.Tests.Protocol;

public class FrameFuzzTests
{
    private static readonly Config Checks = Config.QuickThrowOnFailure.WithMaxTest(2000).WithQuietOnSuccess(true);

    [Fact]
    public void Random_bytes_never_crash_the_parser() =>
        Check.One(Checks, Prop.ForAll<byte[], bool>((bytes, toServer) => ParsesOrRefuses(bytes ?? [], toServer)));

    [Fact]
    public void Random_bytes_behind_a_valid_header_never_crash_the_parser() =>
        Check.One(Checks, Prop.ForAll<byte, byte[], bool>((opcode, body, toServer) =>
        {
            body ??= [];
            var bytes = new byte[5 + body.Length];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)(1 + body.Length));
            bytes[4] = opcode;
            body.CopyTo(bytes, 5);
            return ParsesOrRefuses(bytes, toServer);
        }));

    [Fact]
    public void Mutated_valid_frames_never_crash_the_parser()
    {
        var samples = SampleFrames.All.ToArray();
        Check.One(Checks, Prop.ForAll<int, int, int>((which, position, packed) =>
        {
            var value = (byte)packed;
            var kind = packed >> 8;
            var (frame, direction) = samples[Math.Abs(which % samples.Length)];
            var bytes = FrameCodec.ToBytes(frame).ToList();
            var at = Math.Abs(position % bytes.Count);
            switch (Math.Abs(kind % 3))
            {
                case 0: bytes[at] ^= (byte)(value | 1); break;
                case 1: bytes.RemoveAt(at); break;
                default: bytes.Insert(at, value); break;
            }
            return ParsesOrRefuses(bytes.ToArray(), direction == FrameDirection.ToServer);
        }));
    }

    [Fact]
    public void Generated_messages_round_trip() =>
        Check.One(Checks, Prop.ForAll<uint, byte[], uint>((to, data, requestId) =>
        {
            var flags = (byte)(requestId >> 24);
            var frame = new MsgSend(new Tag(to), data ?? [], requestId, (MessageFlags)flags);
            var back = (MsgSend)FrameCodec.Parse(FrameCodec.ToBytes(frame), FrameDirection.ToServer);
            return back.To == frame.To && back.RequestId == requestId && back.Flags == frame.Flags
                && back.Data.Span.SequenceEqual(frame.Data.Span);
        }));

    [Fact]
    public void Generated_text_fields_round_trip() =>
        Check.One(Checks, Prop.ForAll<string, string>((nick, away) =>
        {
            nick = Trim(nick, 255);
            away = Trim(away, 65535);
            var frame = new AddUser(Tag.User(5), nick, "u", Presence.Away, away, UserFlags.None, []);
            var back = (AddUser)FrameCodec.Parse(FrameCodec.ToBytes(frame), FrameDirection.ToClient);
            return back.Nickname == nick && back.AwayText == away;
        }));

    /// <summary>Strips lone surrogates (not representable in UTF-8) and cuts to a byte budget.</summary>
    private static string Trim(string? s, int maxBytes)
    {
        var clean = new System.Text.StringBuilder();
        foreach (var rune in (s ?? "").EnumerateRunes())
        {
            if (rune == System.Text.Rune.ReplacementChar) continue;
            if (System.Text.Encoding.UTF8.GetByteCount(clean.ToString()) + rune.Utf8SequenceLength > maxBytes) break;
            clean.Append(rune.ToString());
        }
        return clean.ToString();
    }

    private static bool ParsesOrRefuses(byte[] bytes, bool toServer)
    {
        var direction = toServer ? FrameDirection.ToServer : FrameDirection.ToClient;
        var seq = new ReadOnlySequence<byte>(bytes);
        try
        {
            while (FrameCodec.TryRead(ref seq, direction, 4096, out var frame))
                _ = FrameCodec.ToBytes(frame);
            return true;
        }
        catch (ProtocolException ex)
        {
            return ex.Code is StatusCode.MalformedFrame or StatusCode.FrameTooLarge;
        }
    }
}

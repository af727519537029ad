// What a room post carries once its sender key opened it: chat text or a room control (vote, commit-reveal, game).
using P2PChat.Core.Bytes;
using System.Text;
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Primitives;
using P2PChat.Core.Payloads;
using P2PChat.Core.Protocol;

namespace P2PChat.Core.Rooms;

/// <summary>
/// Plaintext of a room post (inside the sender-key message, so the host cannot read it and members know who wrote it):
/// <code>
/// 0x01 Text       UTF-8
/// 0x3C Vote       candidate u32 | epoch u32
/// 0x3D Commit     round id u64 | commitment (32)
/// 0x3E Reveal     round id u64 | nonce (32)
/// 0x3F Round      round id u64 | purpose u8 (1 rotation, 2 game) | participant count u8 | tags u32...
/// 0x40 GameStart  game id u64 | game u8 (1 roll, 2 roulette, 3 coin, 4 blackjack) | dice u8 | sides u16
/// 0x41 GameMove   game id u64 | move u8 (1 hit, 2 stand)
/// </code>
/// </summary>
public abstract record RoomPayload
{
    public const int MaxTextBytes = 8 * 1024;

    public sealed record Text(string Body) : RoomPayload;
    public sealed record Vote(Tag Candidate, uint Epoch) : RoomPayload;
    public sealed record Commit(ulong RoundId, byte[] Commitment) : RoomPayload;
    public sealed record Reveal(ulong RoundId, byte[] Nonce) : RoomPayload;
    public enum RoundPurpose : byte { Rotation = 1, Game = 2 }
    public sealed record Round(ulong Id, RoundPurpose Purpose, IReadOnlyList<Tag> Participants) : RoomPayload;
    public enum GameKind : byte { Roll = 1, Roulette = 2, Coin = 3, Blackjack = 4 }
    public sealed record GameStart(ulong GameId, GameKind Game, byte Dice, ushort Sides) : RoomPayload;
    public enum Move : byte { Hit = 1, Stand = 2 }
    public sealed record GameMove(ulong GameId, Move Play) : RoomPayload;

    public byte[] Encode()
    {
        var w = new ByteWriter(64);
        switch (this)
        {
            case Text t:
                var bytes = Encoding.UTF8.GetBytes(t.Body);
                if (bytes.Length > MaxTextBytes) throw new RoomProtocolException($"a room message is at most {MaxTextBytes} bytes");
                w.Byte((byte)PayloadKind.Text).Bytes(bytes);
                break;
            case Vote v: w.Byte((byte)PayloadKind.RoomVote).UInt32(v.Candidate.Value).UInt32(v.Epoch); break;
            case Commit c: w.Byte((byte)PayloadKind.RoomCommit).UInt64(c.RoundId).Bytes(Fixed(c.Commitment)); break;
            case Reveal r: w.Byte((byte)PayloadKind.RoomReveal).UInt64(r.RoundId).Bytes(Fixed(r.Nonce)); break;
            case Round r:
                w.Byte((byte)PayloadKind.RoomRound).UInt64(r.Id).Byte((byte)r.Purpose).Byte(checked((byte)r.Participants.Count));
                foreach (var t in r.Participants) w.UInt32(t.Value);
                break;
            case GameStart g: w.Byte((byte)PayloadKind.GameStart).UInt64(g.GameId).Byte((byte)g.Game).Byte(g.Dice).UInt16(g.Sides); break;
            case GameMove m: w.Byte((byte)PayloadKind.GameMove).UInt64(m.GameId).Byte((byte)m.Play); break;
        }
        return w.ToArray();
    }

    private static byte[] Fixed(byte[] b) => b.Length == 32 ? b : throw new RoomProtocolException("a commitment or nonce is 32 bytes");

    public static RoomPayload Decode(ReadOnlySpan<byte> plaintext)
    {
        try
        {
            var r = new ByteReader(plaintext);
            RoomPayload result = (PayloadKind)r.ReadByte() switch
            {
                PayloadKind.Text => new Text(new UTF8Encoding(false, true).GetString(r.ReadRest())),
                PayloadKind.RoomVote => new Vote(new Tag(r.ReadUInt32()), r.ReadUInt32()),
                PayloadKind.RoomCommit => new Commit(r.ReadUInt64(), r.ReadArray(32)),
                PayloadKind.RoomReveal => new Reveal(r.ReadUInt64(), r.ReadArray(32)),
                PayloadKind.RoomRound => ReadRound(ref r),
                PayloadKind.GameStart => ReadGame(ref r),
                PayloadKind.GameMove => new GameMove(r.ReadUInt64(), r.ReadByte() is var m && m is 1 or 2 ? (Move)m : throw new RoomProtocolException("unknown move")),
                var k => throw new RoomProtocolException($"unknown room payload kind 0x{(byte)k:x2}"),
            };
            r.ExpectEnd("room payload");
            return result;
        }
        catch (Exception e) when (e is CryptoProtocolException or MalformedInputException or DecoderFallbackException)
        {
            throw new RoomProtocolException($"malformed room payload: {e.Message}");
        }
    }

    private static Round ReadRound(ref ByteReader r)
    {
        var id = r.ReadUInt64();
        var purpose = r.ReadByte();
        if (purpose is not (1 or 2)) throw new RoomProtocolException("unknown round purpose");
        int count = r.ReadByte();
        var tags = new List<Tag>(count);
        for (var i = 0; i < count; i++) tags.Add(new Tag(r.ReadUInt32()));
        return new Round(id, (RoundPurpose)purpose, tags);
    }

    private static GameStart ReadGame(ref ByteReader r)
    {
        var id = r.ReadUInt64();
        var game = r.ReadByte();
        if (game is 0 or > 4) throw new RoomProtocolException("unknown game");
        return new GameStart(id, (GameKind)game, r.ReadByte(), r.ReadUInt16());
    }
}

// Frames of direct peer links: asking the server for an introduction, the introduction itself, and relayed link packets.
using P2PChat.Core.Bytes;
using System.Buffers;
using System.Net;

namespace P2PChat.Core.Protocol.Frames;

/// <summary>Who may learn this peer's addresses (`/set direct`): the server applies it before revealing a candidate.</summary>
public enum DirectSetting : byte
{
    /// <summary>Never reveal a candidate ("hide my IP"): every link to this peer is relayed.</summary>
    Nobody = 0,
    /// <summary>Reveal candidates to friends only; others are reached through the relay (the default).</summary>
    Friends = 1,
    /// <summary>Reveal candidates to anyone who asks for a link.</summary>
    Everyone = 2,
}

/// <summary>
/// The sender's NAT mapping behaviour as Core/Nat's discovery classified it (RFC 4787), one byte: 0 unknown,
/// 1 undetermined, 2 no NAT, 3 endpoint-independent, 4 address-dependent, 5 address-and-port-dependent,
/// 6 destination-dependent. It decides whether the other side probes many ports (birthday probing).
/// </summary>
public static class NatByte
{
    public const byte Max = 6;

    internal static byte Read(ref SequenceReader<byte> r)
    {
        var b = WireReader.U8(ref r);
        return b <= Max ? b : throw new ProtocolException(StatusCode.MalformedFrame, $"NAT behaviour {b} is not defined");
    }
}

/// <summary>Where a candidate address came from (docs/nat-traversal.md, "Candidates").</summary>
public enum LinkCandidateKind : byte
{
    Lan = 1,
    Reflexive = 2,
    Mapped = 3,
    Ipv6 = 4,
}

/// <summary>
/// One address a peer can be tried at:
/// <code>u8 kind (1 lan, 2 reflexive, 3 mapped, 4 ipv6) | u8 family (4 or 6) | address (4 or 16 bytes) | u16 port</code>
/// 8 bytes for IPv4, 20 for IPv6. Port 0, another family byte, or an address of the wrong size is malformed.
/// </summary>
public sealed record LinkCandidate(LinkCandidateKind Kind, IPEndPoint EndPoint)
{
    /// <summary>At most this many candidates in one frame (more is malformed).</summary>
    public const int MaxPerFrame = 16;

    internal static void WriteAll(WireWriter w, IReadOnlyList<LinkCandidate> candidates)
    {
        if (candidates.Count > MaxPerFrame) throw new ArgumentException($"at most {MaxPerFrame} candidates per frame");
        w.U8((byte)candidates.Count);
        foreach (var c in candidates)
        {
            w.U8((byte)c.Kind);
            var address = c.EndPoint.Address.GetAddressBytes();
            w.U8(address.Length == 4 ? (byte)4 : (byte)6);
            w.Raw(address);
            w.U16((ushort)c.EndPoint.Port);
        }
    }

    internal static LinkCandidate[] ReadAll(ref SequenceReader<byte> r)
    {
        var n = WireReader.U8(ref r);
        if (n > MaxPerFrame) throw new ProtocolException(StatusCode.MalformedFrame, $"{n} candidates; at most {MaxPerFrame}");
        var all = new LinkCandidate[n];
        Span<byte> address = stackalloc byte[16];
        for (var i = 0; i < n; i++)
        {
            var kind = WireReader.Enum<LinkCandidateKind>(ref r);
            var size = WireReader.U8(ref r) switch
            {
                4 => 4,
                6 => 16,
                var f => throw new ProtocolException(StatusCode.MalformedFrame, $"candidate address family {f}"),
            };
            if (!r.TryCopyTo(address[..size])) throw new ProtocolException(StatusCode.MalformedFrame, "frame ends before its fields do");
            r.Advance(size);
            var port = WireReader.U16(ref r);
            if (port == 0) throw new ProtocolException(StatusCode.MalformedFrame, "candidate port 0");
            all[i] = new(kind, new IPEndPoint(new IPAddress(address[..size]), port));
        }
        return all;
    }
}

/// <summary>
/// C→S LINK (0x40): tag peer, u32 requestId, u8 direct (this peer's <see cref="DirectSetting"/>), u8 nat (<see cref="NatByte"/>), u8 n, n × candidate.
/// Asks the server to introduce us to <paramref name="Peer"/>; also replaces what <see cref="LinkCandidates"/> published.
/// Answered by INTRO (with the requestId) or STATUS 51/52 (refOpcode 0x40, value requestId, subject the peer).
/// </summary>
public sealed record LinkRequest(Tag Peer, uint RequestId, DirectSetting Direct, byte Nat, IReadOnlyList<LinkCandidate> Candidates) : Frame
{
    public override Opcode Opcode => Opcode.Link;
    internal override void WritePayload(WireWriter w) { w.Tag(Peer); w.U32(RequestId); w.U8((byte)Direct); w.U8(Nat); LinkCandidate.WriteAll(w, Candidates); }
    internal static LinkRequest Read(ref SequenceReader<byte> r) =>
        new(WireReader.Tag(ref r), WireReader.U32(ref r), WireReader.Enum<DirectSetting>(ref r), NatByte.Read(ref r), LinkCandidate.ReadAll(ref r));
}

/// <summary>
/// C→S CANDIDATES (0x41): u8 direct, u8 nat, u8 n, n × candidate. Publishes the addresses and the setting used when someone
/// else asks for a link to us (kept in memory for this connection only). Answered by STATUS 18.
/// </summary>
public sealed record LinkCandidates(DirectSetting Direct, byte Nat, IReadOnlyList<LinkCandidate> Candidates) : Frame
{
    public override Opcode Opcode => Opcode.Candidates;
    internal override void WritePayload(WireWriter w) { w.U8((byte)Direct); w.U8(Nat); LinkCandidate.WriteAll(w, Candidates); }
    internal static LinkCandidates Read(ref SequenceReader<byte> r) =>
        new(WireReader.Enum<DirectSetting>(ref r), NatByte.Read(ref r), LinkCandidate.ReadAll(ref r));
}

[Flags]
public enum IntroFlags : byte
{
    None = 0,
    /// <summary>This side controls the checks (ICE's controlling agent): it nominates the path and opens the link.</summary>
    Controlling = 1,
    /// <summary>The peer's setting withholds its candidates from us: the link is relay-only.</summary>
    Withheld = 2,
}

/// <summary>
/// S→C INTRO (0x42): tag peer, u32 requestId (the LINK's; 0 on the side that did not ask), bytes16 identityKey (the
/// identity the peer must prove in the link handshake), bytes16 token (16 random bytes, the same for both sides),
/// u8 flags (1 controlling, 2 candidates withheld), time startAt (both sides start checks then), u8 nat (the peer's;
/// 0 when withheld), u8 n, n × candidate
/// (only those the peer's direct setting lets us see). Sent to both sides at once; allows RELAY between them.
/// </summary>
public sealed record Intro(Tag Peer, uint RequestId, byte[] IdentityKey, byte[] Token, IntroFlags Flags, long StartAtMs, byte Nat, IReadOnlyList<LinkCandidate> Candidates) : Frame
{
    public const int TokenSize = 16;
    public override Opcode Opcode => Opcode.Intro;
    public bool Controlling => Flags.HasFlag(IntroFlags.Controlling);
    internal override void WritePayload(WireWriter w)
    {
        w.Tag(Peer); w.U32(RequestId); w.Bytes16(IdentityKey); w.Bytes16(Token); w.U8((byte)Flags); w.I64(StartAtMs); w.U8(Nat);
        LinkCandidate.WriteAll(w, Candidates);
    }
    internal static Intro Read(ref SequenceReader<byte> r)
    {
        var peer = WireReader.Tag(ref r);
        var requestId = WireReader.U32(ref r);
        var identity = WireReader.Bytes16(ref r);
        var token = WireReader.Bytes16(ref r);
        if (token.Length != TokenSize) throw new ProtocolException(StatusCode.MalformedFrame, $"INTRO token of {token.Length} bytes");
        var flags = WireReader.U8(ref r);
        if ((flags & ~3) != 0) throw new ProtocolException(StatusCode.MalformedFrame, $"INTRO flags {flags}");
        return new(peer, requestId, identity, token, (IntroFlags)flags, WireReader.I64(ref r), NatByte.Read(ref r), LinkCandidate.ReadAll(ref r));
    }
}

/// <summary>
/// C→S RELAY (0x43): tag to, bytes16 packet. An opaque, end-to-end encrypted link packet for a user we were introduced
/// to; at most <see cref="MaxPacket"/> bytes. Never answered, except STATUS 50 when a relay limit is hit (at most one a
/// second). A frame for a user we were not introduced to, or who is gone, is dropped without a word.
/// </summary>
public sealed record RelaySend(Tag To, ReadOnlyMemory<byte> Packet) : Frame
{
    public const int MaxPacket = 1500;
    public override Opcode Opcode => Opcode.Relay;
    internal override void WritePayload(WireWriter w) { w.Tag(To); w.Bytes16(Packet.Span); }
    internal static RelaySend Read(ref SequenceReader<byte> r) => new(WireReader.Tag(ref r), ReadPacket(ref r));

    internal static byte[] ReadPacket(ref SequenceReader<byte> r)
    {
        var packet = WireReader.Bytes16(ref r);
        return packet.Length is > 0 and <= MaxPacket ? packet : throw new ProtocolException(StatusCode.MalformedFrame, $"RELAY packet of {packet.Length} bytes");
    }
}

/// <summary>S→C RELAY (0x43): tag from, bytes16 packet: a link packet a user we were introduced to sent us through the server.</summary>
public sealed record RelayDeliver(Tag From, ReadOnlyMemory<byte> Packet) : Frame
{
    public override Opcode Opcode => Opcode.Relay;
    internal override void WritePayload(WireWriter w) { w.Tag(From); w.Bytes16(Packet.Span); }
    internal static RelayDeliver Read(ref SequenceReader<byte> r) => new(WireReader.Tag(ref r), RelaySend.ReadPacket(ref r));
}

// The room's shared state (name, members, roles, host, succession, epoch, settings), its byte layout and its signature.
using P2PChat.Core.Bytes;
using System.Security.Cryptography;
using System.Text;
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Crypto.Primitives;
using P2PChat.Core.Protocol;

namespace P2PChat.Core.Rooms;

/// <summary>
/// Versioned like Tox's shared group state, but every change is signed by whoever may make it (see
/// <see cref="RoomStateRules"/>), not by the founder alone. Byte layout of the state body (big-endian):
/// <code>
/// format      u8    = 1
/// room id     u64
/// version     u64   +1 (at least) on every change; a state whose version is not above the held one is stale
/// epoch       u32   +1 (at least) on every host change; split-brain ties are broken on (epoch, version, host tag)
/// name        u8 length | UTF-8 (1..64 bytes)
/// creator     u32   user tag, never changes
/// host        u32   user tag of the current host (a member)
/// rotation    u16   minutes between random host rotations, 0 = off
/// members     u8 count (1..64) | count × (tag u32 | role u8 | identity key 65 bytes)
/// succession  u8 count | count × tag u32      who hosts next, in order (members, the host excluded)
/// banned      u8 count | count × tag u32      may not be admitted again
/// </code>
/// The signed form (<see cref="SignedRoomState"/>) appends <c>signer tag u32 | Ed25519 signature (64)</c>, the signature
/// by the signer's identity signing key over <c>"P2PChat room state v1" | body | signer tag</c>.
/// </summary>
public sealed record RoomState(
    RoomId Id,
    ulong Version,
    uint Epoch,
    string Name,
    Tag Creator,
    Tag Host,
    ushort RotationMinutes,
    IReadOnlyList<RoomMember> Members,
    IReadOnlyList<Tag> Succession,
    IReadOnlyList<Tag> Banned)
{
    public const byte Format = 1;
    public const int MaxNameBytes = 64;
    public const int MaxMembers = 64;
    private static readonly byte[] SignatureLabel = "P2PChat room state v1"u8.ToArray();

    public RoomMember? Find(Tag tag) => Members.FirstOrDefault(m => m.Tag == tag);
    public bool IsMember(Tag tag) => Find(tag) is not null;

    /// <summary>A new room: the creator alone, hosting, version 1, epoch 1.</summary>
    public static RoomState Create(RoomId id, string name, Tag creator, IdentityPublicKey identity) =>
        new(id, 1, 1, name, creator, creator, 0, [new RoomMember(creator, identity, RoomRole.Creator)], [], []);

    public byte[] EncodeBody()
    {
        var name = Encoding.UTF8.GetBytes(Name);
        if (name.Length is 0 or > MaxNameBytes) throw new RoomProtocolException($"a room name is 1 to {MaxNameBytes} bytes");
        if (Members.Count is 0 or > MaxMembers) throw new RoomProtocolException($"a room has 1 to {MaxMembers} members");
        var w = new ByteWriter(64 + Members.Count * 70).Byte(Format).UInt64(Id.Value).UInt64(Version).UInt32(Epoch)
            .Byte((byte)name.Length).Bytes(name).UInt32(Creator.Value).UInt32(Host.Value).UInt16(RotationMinutes)
            .Byte((byte)Members.Count);
        foreach (var m in Members) w.UInt32(m.Tag.Value).Byte((byte)m.Role).Bytes(m.Identity.Encode());
        WriteTags(w, Succession);
        WriteTags(w, Banned);
        return w.ToArray();
    }

    private static void WriteTags(ByteWriter w, IReadOnlyList<Tag> tags)
    {
        if (tags.Count > MaxMembers) throw new RoomProtocolException("too many tags in a room state list");
        w.Byte((byte)tags.Count);
        foreach (var t in tags) w.UInt32(t.Value);
    }

    public static RoomState DecodeBody(ReadOnlySpan<byte> body)
    {
        try
        {
            var r = new ByteReader(body);
            if (r.ReadByte() != Format) throw new RoomProtocolException("unknown room state format");
            var id = new RoomId(r.ReadUInt64());
            var version = r.ReadUInt64();
            var epoch = r.ReadUInt32();
            var name = new UTF8Encoding(false, true).GetString(r.ReadBytes(r.ReadByte()));
            if (name.Length == 0) throw new RoomProtocolException("empty room name");
            var creator = new Tag(r.ReadUInt32());
            var host = new Tag(r.ReadUInt32());
            var rotation = r.ReadUInt16();
            int count = r.ReadByte();
            if (count is 0 or > MaxMembers) throw new RoomProtocolException("bad member count");
            var members = new List<RoomMember>(count);
            for (var i = 0; i < count; i++)
            {
                var tag = new Tag(r.ReadUInt32());
                var role = r.ReadByte();
                if (role > (byte)RoomRole.Creator) throw new RoomProtocolException($"unknown role {role}");
                members.Add(new RoomMember(tag, IdentityPublicKey.Decode(r.ReadBytes(IdentityPublicKey.EncodedLength)), (RoomRole)role));
            }
            var succession = ReadTags(ref r);
            var banned = ReadTags(ref r);
            r.ExpectEnd("room state");
            var state = new RoomState(id, version, epoch, name, creator, host, rotation, members, succession, banned);
            state.CheckShape();
            return state;
        }
        catch (Exception e) when (e is CryptoProtocolException or MalformedInputException or DecoderFallbackException)
        {
            throw new RoomProtocolException($"malformed room state: {e.Message}");
        }
    }

    private static List<Tag> ReadTags(ref ByteReader r)
    {
        int count = r.ReadByte();
        if (count > MaxMembers) throw new RoomProtocolException("too many tags in a room state list");
        var tags = new List<Tag>(count);
        for (var i = 0; i < count; i++) tags.Add(new Tag(r.ReadUInt32()));
        return tags;
    }

    /// <summary>Internal consistency every valid state has, whoever signed it.</summary>
    public void CheckShape()
    {
        if (Members.Select(m => m.Tag).Distinct().Count() != Members.Count) throw new RoomProtocolException("a member is listed twice");
        if (Find(Creator) is not { Role: RoomRole.Creator } && Members.Any(m => m.Role == RoomRole.Creator))
            throw new RoomProtocolException("only the creator has the creator role");
        if (Members.Count(m => m.Role == RoomRole.Creator) > 1) throw new RoomProtocolException("two creators");
        if (!IsMember(Host)) throw new RoomProtocolException("the host is not a member");
        if (Succession.Any(t => !IsMember(t) || t == Host) || Succession.Distinct().Count() != Succession.Count)
            throw new RoomProtocolException("the succession lists a non-member, the host, or someone twice");
        if (Banned.Any(IsMember)) throw new RoomProtocolException("a banned user is a member");
    }

    public SignedRoomState Sign(Tag signer, IdentityKeyPair identity)
    {
        CheckShape();
        var body = EncodeBody();
        return new SignedRoomState(this, signer, identity.Sign(SignedData(body, signer)), body);
    }

    internal static byte[] SignedData(ReadOnlySpan<byte> body, Tag signer) =>
        new ByteWriter(body.Length + 32).Bytes(SignatureLabel).Bytes(body).UInt32(signer.Value).ToArray();

    /// <summary>SHA-256 of the body: two states with equal digests are the same state.</summary>
    public byte[] Digest() => SHA256.HashData(EncodeBody());
}

/// <summary>A state with the signature of the member who made it; <see cref="Encode"/>: body | signer u32 | signature (64).</summary>
public sealed record SignedRoomState(RoomState State, Tag Signer, byte[] Signature, byte[] Body)
{
    public const int SignatureLength = 64;

    public byte[] Encode() => [.. Body, .. new ByteWriter(4).UInt32(Signer.Value).ToArray(), .. Signature];

    /// <summary>Parses; the signature is checked by <see cref="RoomStateRules"/> against the signer's key.</summary>
    public static SignedRoomState Decode(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length < 4 + SignatureLength + 1) throw new RoomProtocolException("signed room state too short");
        var body = encoded[..^(4 + SignatureLength)];
        var signer = new Tag(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(encoded[^(4 + SignatureLength)..]));
        return new SignedRoomState(RoomState.DecodeBody(body), signer, encoded[^SignatureLength..].ToArray(), body.ToArray());
    }

    /// <summary>Whether <see cref="Signature"/> is the signer's over the body, given the signer's identity.</summary>
    public bool SignedBy(IdentityPublicKey identity) => identity.Verify(RoomState.SignedData(Body, Signer), Signature);
}

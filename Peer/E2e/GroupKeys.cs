// One invite-only channel's sender keys: our own (and who has received it) and each member's, for reading them.
using P2PChat.Core.Bytes;
using System.Buffers.Binary;
using System.Text;
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Groups;

namespace P2PChat.Peer.E2e;

/// <summary>
/// Group id (bound into every sender-key message, docs/security.md 10.3) = the 4-byte big-endian channel tag.
/// Rules: our sender key is made on first send and given (inside pairwise sessions) to each member who has not had it;
/// it is replaced when a member leaves or is removed, and then given to the remaining members only. A newcomer gets the
/// chain as it is at that moment, so it cannot read what was said before it joined.
/// Stored layout (sealed by the vault; integers big-endian):
/// <code>
/// version 0x01 | channel tag u32 | u16 len | own sender key state (len 0: none) | u16 n | n × (str16 member)  (given to)
/// | u16 m | m × (str16 member | u16 len | GroupReceiverKey state)
/// </code>
/// Not thread-safe: the owner serialises calls.
/// </summary>
public sealed class GroupKeys(uint channelTag) : IDisposable
{
    private const byte Version = 0x01;
    private readonly Dictionary<string, GroupReceiverKey> _receivers = new(StringComparer.Ordinal);

    public uint ChannelTag { get; } = channelTag;
    public GroupSenderKey? Own { get; private set; }
    public HashSet<string> GivenTo { get; } = new(StringComparer.Ordinal);

    public byte[] GroupId
    {
        get
        {
            var id = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(id, ChannelTag);
            return id;
        }
    }

    public GroupSenderKey EnsureOwn() => Own ??= GroupSenderKey.Create();

    /// <summary>A member left or was removed: our key is replaced (at the next send) and theirs forgotten.</summary>
    public void MemberLeft(string member)
    {
        Own?.Dispose();
        Own = null;
        GivenTo.Clear();
        if (_receivers.Remove(member, out var key)) key.Dispose();
    }

    public GroupReceiverKey? ReceiverOf(string member) => _receivers.GetValueOrDefault(member);

    /// <summary>A member's (new) sender key, received inside our pairwise session with them.</summary>
    /// <remarks>An older copy of the key in use (a lower iteration of the same key id) is ignored: it would reopen read messages.</remarks>
    public void SetReceiver(string member, SenderKeyDistribution distribution)
    {
        if (_receivers.GetValueOrDefault(member) is { } current && current.KeyId == distribution.KeyId && distribution.Iteration <= current.Iteration) return;
        if (_receivers.Remove(member, out var old)) old.Dispose();
        _receivers[member] = GroupReceiverKey.FromDistribution(distribution);
    }

    public byte[] Serialize()
    {
        var buffer = new ByteWriter().Byte(Version);
        buffer.UInt32(ChannelTag);
        buffer.Blob16(Own?.Serialize() ?? []);
        buffer.UInt16(checked((ushort)GivenTo.Count));
        foreach (var member in GivenTo.Order(StringComparer.Ordinal)) buffer.Blob16(Encoding.UTF8.GetBytes(member));
        buffer.UInt16(checked((ushort)_receivers.Count));
        foreach (var (member, key) in _receivers.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            buffer.Blob16(Encoding.UTF8.GetBytes(member));
            buffer.Blob16(key.Serialize());
        }
        return buffer.ToArray();
    }

    public static GroupKeys Deserialize(ReadOnlySpan<byte> state)
    {
        var r = StoredRecord.Reader(state);
        if (r.ReadByte() != Version) throw new CryptoProtocolException(CryptoFailure.UnsupportedVersion, "group keys version");
        var group = new GroupKeys(r.ReadUInt32());
        var own = r.ReadBlob16();
        if (own.Length > 0) group.Own = GroupSenderKey.Deserialize(own);
        for (int i = 0, n = r.ReadUInt16(); i < n; i++) group.GivenTo.Add(Encoding.UTF8.GetString(r.ReadBlob16()));
        for (int i = 0, n = r.ReadUInt16(); i < n; i++)
        {
            var member = Encoding.UTF8.GetString(r.ReadBlob16());
            group._receivers[member] = GroupReceiverKey.Deserialize(r.ReadBlob16());
        }
        r.ExpectEnd("stored key record");
        return group;
    }

    public void Dispose()
    {
        Own?.Dispose();
        foreach (var key in _receivers.Values) key.Dispose();
        _receivers.Clear();
    }
}

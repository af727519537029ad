// Bounded store of ratchet message keys for messages not yet received (out of order or lost); oldest evicted first.
using P2PChat.Core.Bytes;
using P2PChat.Core.Crypto.Primitives;

namespace P2PChat.Core.Crypto.Ratchet;

/// <summary>
/// Keys are indexed by (ratchet public key, message number); each is wiped when used.
/// Holds at most <see cref="Capacity"/> keys: adding beyond that wipes and evicts the oldest.
/// Serialised layout: <code>count u16 BE | count × (ratchet public key (32) | N u32 BE | message key (32))</code> oldest first.
/// </summary>
internal sealed class SkippedMessageKeys(int capacity)
{
    private readonly BoundedKeyStore<(string RatchetKey, uint Number)> _keys = new(capacity);

    public int Capacity => _keys.Capacity;
    public int Count => _keys.Count;

    public bool TryGet(ReadOnlySpan<byte> ratchetKey, uint number, out byte[] messageKey) =>
        _keys.TryGet((Convert.ToHexString(ratchetKey), number), out messageKey);

    public void Remove(ReadOnlySpan<byte> ratchetKey, uint number) => _keys.Remove((Convert.ToHexString(ratchetKey), number));

    public void Add(ReadOnlySpan<byte> ratchetKey, uint number, byte[] messageKey) =>
        _keys.Add((Convert.ToHexString(ratchetKey), number), messageKey);

    public void Write(ByteWriter writer)
    {
        writer.UInt16((ushort)_keys.Count);
        foreach (var ((ratchetKey, number), key) in _keys.OldestFirst)
            writer.Bytes(Convert.FromHexString(ratchetKey)).UInt32(number).Bytes(key);
    }

    public static SkippedMessageKeys Read(ref ByteReader reader, int capacity)
    {
        var result = new SkippedMessageKeys(capacity);
        int count = reader.ReadUInt16();
        if (count > capacity) throw new CryptoProtocolException(CryptoFailure.Malformed, "too many stored skipped keys");
        for (var i = 0; i < count; i++)
        {
            var ratchetKey = reader.ReadBytes(AgreementKeyPair.PublicKeyLength);
            var number = reader.ReadUInt32();
            result.Add(ratchetKey, number, reader.ReadArray(Kdf.KeyLength));
        }
        return result;
    }

    public void Clear() => _keys.Clear();
}

// PM payloads held because a contact's key changed, per contact in order, and their stored record (sealed as held.bin).
using P2PChat.Core.Crypto;

namespace P2PChat.Peer.E2e;

/// <summary>
/// Record: <c>version 0x01 ‖ u16 n ‖ n × (u16 len ‖ UTF-8 contact ‖ u16 m ‖ m × (u16 len ‖ PM payload))</c>, contacts in
/// the order they were first held for, payloads in the order they were held. Integers big-endian. A payload is at most
/// 16 KiB (the server's message limit, Peer/Server/ServerConnection.MaxMessageBytes), so a u16 length always fits. Pure: no I/O.
/// </summary>
public sealed class HeldMessages
{
    private const byte Version = 1;
    private readonly Dictionary<string, List<byte[]>> _byContact = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    public bool IsEmpty => _byContact.Count == 0;

    /// <summary>The contacts with held messages and how many, in the order they were first held for.</summary>
    public IEnumerable<(string Contact, int Count)> Counts => _order.Select(c => (c, _byContact[c].Count));

    /// <summary>Holds <paramref name="payload"/> for <paramref name="contact"/>; returns how many are held for them now.</summary>
    public int Add(string contact, byte[] payload)
    {
        if (!_byContact.TryGetValue(contact, out var queue))
        {
            _byContact[contact] = queue = [];
            _order.Add(contact);
        }
        queue.Add(payload);
        return queue.Count;
    }

    /// <summary>Removes and returns everything held for <paramref name="contact"/>, oldest first.</summary>
    public IReadOnlyList<byte[]> Take(string contact)
    {
        if (!_byContact.Remove(contact, out var queue)) return [];
        _order.Remove(contact);
        return queue;
    }

    public byte[] Serialize()
    {
        using var s = new MemoryStream();
        s.WriteByte(Version);
        s.WriteU16(_order.Count);
        foreach (var contact in _order)
        {
            s.WriteBlob(System.Text.Encoding.UTF8.GetBytes(contact));
            var queue = _byContact[contact];
            s.WriteU16(queue.Count);
            foreach (var payload in queue) s.WriteBlob(payload);
        }
        return s.ToArray();
    }

    /// <summary>Throws <see cref="CryptoProtocolException"/> (Malformed) for a record that is cut, padded or of another version.</summary>
    public static HeldMessages Deserialize(ReadOnlySpan<byte> record)
    {
        var r = new SpanCursor(record);
        if (r.Byte() != Version) throw new CryptoProtocolException(CryptoFailure.Malformed, "held messages record has an unknown version");
        var held = new HeldMessages();
        var contacts = r.U16();
        for (var i = 0; i < contacts; i++)
        {
            var contact = System.Text.Encoding.UTF8.GetString(r.Blob());
            var count = r.U16();
            if (count == 0 || held._byContact.ContainsKey(contact))
                throw new CryptoProtocolException(CryptoFailure.Malformed, "held messages record repeats a contact or holds nothing for one");
            for (var j = 0; j < count; j++) held.Add(contact, r.Blob().ToArray());
        }
        r.End();
        return held;
    }
}

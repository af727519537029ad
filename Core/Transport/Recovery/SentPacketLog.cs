// Sent packets in packet-number order, indexed directly by number (numbers are consecutive per connection).
namespace P2PChat.Core.Transport.Recovery;

/// <summary>
/// Holds every packet from the oldest still outstanding to the newest. Lookup by packet number is O(1);
/// settled packets at the front are dropped as the front advances.
/// </summary>
internal sealed class SentPacketLog
{
    private readonly List<SentPacket> _packets = [];
    private int _head;
    private long _basePacketNumber;

    public long NextPacketNumber => _basePacketNumber + (_packets.Count - _head);
    public int Count => _packets.Count - _head;

    public void Add(SentPacket packet)
    {
        if (packet.PacketNumber != NextPacketNumber) throw new InvalidOperationException("packet numbers must be consecutive");
        _packets.Add(packet);
    }

    public SentPacket? Find(long packetNumber)
    {
        long index = packetNumber - _basePacketNumber;
        return index >= 0 && index < Count ? _packets[_head + (int)index] : null;
    }

    /// <summary>Drops settled packets from the front.</summary>
    public void Compact()
    {
        while (_head < _packets.Count && _packets[_head].State != SentPacketState.Outstanding)
        {
            _head++;
            _basePacketNumber++;
        }
        if (_head > 4096 && _head > _packets.Count / 2)
        {
            _packets.RemoveRange(0, _head);
            _head = 0;
        }
    }
}

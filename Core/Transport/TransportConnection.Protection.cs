// Switching a live connection to new packet protection (e.g. from unkeyed to keyed once the secure channel has keys).
using System.Buffers;

namespace P2PChat.Core.Transport;

/// <summary>
/// Upgrade protocol: each side calls <see cref="UpgradeProtection"/> with its new protector when it has the keys.
/// From then on it sends everything under the new protector. On receive it tries the new protector first and, until
/// the first packet opens with it, falls back to the previous one (packets the peer sent before its own switch).
/// The first packet that opens with the new protector retires the old one for good, so after the switch nothing
/// protected only by the old keys (for the unkeyed protector: anything with a valid checksum) is accepted again; old
/// packets still in flight are then dropped and their data retransmitted under the new keys.
/// </summary>
public sealed partial class TransportConnection
{
    private IPacketProtector? _previousProtector;

    public void UpgradeProtection(IPacketProtector protector)
    {
        lock (Gate)
        {
            if (State is not (ConnectionState.Handshaking or ConnectionState.Established))
                throw new TransportException(Error == TransportError.None ? TransportError.ClosedLocally : Error, "the connection is closed");
            _previousProtector = _protector;
            _protector = protector;
        }
    }

    /// <summary>Opens a Data packet in place with the current protector, or during an upgrade with the previous one.</summary>
    private bool TryOpen(Span<byte> datagram, out int start, out int length)
    {
        if (_previousProtector is null) return _protector.TryUnprotect(datagram, DataPacketLayout.HeaderLength, out start, out length);
        // A failed attempt may scramble the buffer (decryption is in place), so the fallback works on a copy.
        byte[] copy = ArrayPool<byte>.Shared.Rent(datagram.Length);
        try
        {
            datagram.CopyTo(copy);
            if (_protector.TryUnprotect(datagram, DataPacketLayout.HeaderLength, out start, out length))
            {
                _previousProtector = null;
                return true;
            }
            copy.AsSpan(0, datagram.Length).CopyTo(datagram);
            return _previousProtector.TryUnprotect(datagram, DataPacketLayout.HeaderLength, out start, out length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }
}

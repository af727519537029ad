// Switching a live connection to new packet protection (e.g. from unkeyed to keyed once the secure channel has keys).
using System.Buffers;
using P2PChat.Core.Transport.Protection;
using P2PChat.Core.Transport.Wire;

namespace P2PChat.Core.Transport;

/// <summary>
/// Upgrade protocol: each side calls <see cref="UpgradeProtection"/> with its new protector when it has the keys.
/// From then on it sends everything under the new protector. On receive it tries the new protector first and, until
/// the first packet opens with it, falls back to the previous one (packets the peer sent before its own switch).
/// The first packet that opens with the new protector retires the old one for good, so after the switch nothing
/// protected only by the old keys (for the unkeyed protector: anything with a valid checksum) is accepted again; old
/// packets still in flight are then dropped and their data retransmitted under the new keys.
/// Two-phase switch (<see cref="PrepareProtection"/>): a side that has the new keys before it knows whether the peer
/// has them keeps sending under the current protector and only also tries the new one on receive; the first packet
/// that opens with the new one proves the peer switched, and this side switches its sending at that moment. The
/// secure-link handshake uses it so that no handshake message is ever sent under keys the peer cannot have yet.
/// </summary>
public sealed partial class TransportConnection
{
    private IPacketProtector? _previousProtector;
    private IPacketProtector? _pendingProtector;

    /// <summary>True once a prepared protector has been switched to (or none was prepared).</summary>
    public bool ProtectionSettled { get { lock (Gate) return _pendingProtector is null && _previousProtector is null; } }

    /// <summary>
    /// Keeps sending under the current protector but also accepts packets under <paramref name="protector"/>; the first
    /// such packet switches this side to it for good (see the type's remarks).
    /// </summary>
    public void PrepareProtection(IPacketProtector protector)
    {
        lock (Gate)
        {
            if (State is not (ConnectionState.Handshaking or ConnectionState.Established))
                throw new TransportException(Error == TransportError.None ? TransportError.ClosedLocally : Error, "the connection is closed");
            _pendingProtector = protector;
        }
    }

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
        if (_pendingProtector is not null) return TryOpenPending(datagram, out start, out length);
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

    /// <summary>With a prepared protector: the current one first, then the prepared one, which on success takes over.</summary>
    private bool TryOpenPending(Span<byte> datagram, out int start, out int length)
    {
        byte[] copy = ArrayPool<byte>.Shared.Rent(datagram.Length);
        try
        {
            datagram.CopyTo(copy);
            if (_protector.TryUnprotect(datagram, DataPacketLayout.HeaderLength, out start, out length)) return true;
            copy.AsSpan(0, datagram.Length).CopyTo(datagram);
            if (!_pendingProtector!.TryUnprotect(datagram, DataPacketLayout.HeaderLength, out start, out length)) return false;
            _protector = _pendingProtector;
            _pendingProtector = null;
            _previousProtector = null;
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }
}

// Which frames of a TCP-path connection are sealed, which protector opens a SEALED frame, and when plain ones stop.
using System.Buffers;
using P2PChat.Core.Transport.Protection;

namespace P2PChat.Core.Transport.Tcp;

/// <summary>
/// Pure state of one side (no I/O; the connection calls it under its lock). Same switch rules as the UDP transport's
/// <c>TransportConnection.Protection</c>, made strict because TCP delivers in order:
/// <code>
/// sending:   plain until Upgrade(p), or until a SEALED frame first opens under a prepared p; then every frame sealed
/// receiving: Plain     plain frames accepted; a SEALED frame opens under current | previous | prepared, else fails
///            Sealed    after the first SEALED frame opened: plain frames fail
/// SEALED frame checks: its number must be exactly the count of SEALED frames received so far (replayed, reordered
/// or dropped frames fail), then it must open; the protector's own replay window is a second line of defence.
/// Upgrade(p):  send and receive under p; p's previous receive protector stays a fallback until a frame opens under p.
/// Prepare(p):  keep sending as before; the first SEALED frame opening under p makes p current in both directions.
/// </code>
/// A failure is final for the connection: nothing legitimate can fail to open on an in-order byte stream.
/// </summary>
internal sealed class TcpFrameProtection
{
    private IPacketProtector? _send;
    private IPacketProtector? _receive;
    private IPacketProtector? _previous;
    private IPacketProtector? _pending;
    private bool _upgrading;
    private bool _sealedReceived;
    private long _nextSentNumber;
    private long _nextReceivedNumber;

    public bool SealsOutgoing => _send is not null;

    /// <summary>False while a prepared protector waits for its first frame or an upgrade still allows the old one.</summary>
    public bool Settled => _pending is null && !_upgrading;

    /// <summary>Plain frames are accepted until the first SEALED frame opened.</summary>
    public bool AcceptsPlain => !_sealedReceived;

    public void Prepare(IPacketProtector protector) => _pending = protector;

    public void Upgrade(IPacketProtector protector)
    {
        _previous = _receive;
        _receive = _send = protector;
        _upgrading = true;
    }

    /// <summary>An upper bound of <see cref="Seal"/>'s output for a payload of <paramref name="payloadLength"/> bytes.</summary>
    public int MaxSealedLength(int payloadLength) =>
        2 * TcpFrameCodec.MaxHeaderLength + (_send?.Overhead ?? 0) + payloadLength;

    /// <summary>Writes the SEALED frame carrying the inner frame (type, stream id, payload); returns its length.</summary>
    public int Seal(Span<byte> destination, byte type, long streamId, ReadOnlySpan<byte> payload)
    {
        var protector = _send ?? throw new InvalidOperationException("no protector to seal with");
        Span<byte> inner = stackalloc byte[TcpFrameCodec.MaxHeaderLength];
        int innerHeader = TcpFrameCodec.WriteHeader(inner, type, streamId, payload.Length);
        int innerLength = innerHeader + payload.Length;
        if (innerLength + protector.Overhead > TcpFrameCodec.MaxPayload) throw new ArgumentException("frame too large to seal", nameof(payload));
        int outerHeader = TcpFrameCodec.WriteHeader(destination, TcpFrameCodec.Sealed, _nextSentNumber, innerLength + protector.Overhead);
        var plaintext = destination[(outerHeader + protector.PlaintextOffset)..];
        inner[..innerHeader].CopyTo(plaintext);
        payload.CopyTo(plaintext[innerHeader..]);
        int length = protector.Protect(destination, outerHeader, innerLength);
        _nextSentNumber++;
        return length;
    }

    /// <summary>
    /// Opens a whole SEALED frame in place (<paramref name="frame"/> = outer header of <paramref name="headerLength"/>
    /// bytes and its payload; <paramref name="number"/> = its number field) and parses the inner frame.
    /// Returns null on success, else why the frame must end the connection.
    /// </summary>
    public string? TryOpen(Span<byte> frame, int headerLength, long number, out byte type, out long streamId, out Range payload)
    {
        type = 0;
        streamId = 0;
        payload = default;
        if (_receive is null && _pending is null) return "a SEALED frame arrived before any keys";
        if (number != _nextReceivedNumber)
            return $"SEALED frame {number} arrived where {_nextReceivedNumber} was due (replayed, reordered or dropped)";
        if (!TryOpenWithAny(frame, headerLength, out int start, out int length)) return "a SEALED frame did not open (forged or corrupted)";
        _sealedReceived = true;
        _nextReceivedNumber++;
        var inner = frame.Slice(start, length);
        if (!TcpFrameCodec.TryReadHeader(inner, out type, out streamId, out int innerPayload, out int innerHeader, out _)
            || innerHeader + innerPayload != inner.Length || type == TcpFrameCodec.Sealed)
            return "a SEALED frame holds no single valid inner frame";
        payload = new Range(start + innerHeader, start + inner.Length);
        return null;
    }

    /// <summary>Current, then previous, then prepared; each failed attempt may scramble the frame, so it is restored.</summary>
    private bool TryOpenWithAny(Span<byte> frame, int headerLength, out int start, out int length)
    {
        byte[] copy = ArrayPool<byte>.Shared.Rent(frame.Length);
        try
        {
            frame.CopyTo(copy);
            if (_receive is not null && Attempt(_receive, frame, copy, headerLength, out start, out length))
            {
                _previous = null;
                _upgrading = false;
                return true;
            }
            if (_previous is not null && Attempt(_previous, frame, copy, headerLength, out start, out length)) return true;
            if (_pending is not null && Attempt(_pending, frame, copy, headerLength, out start, out length))
            {
                _send = _receive = _pending;
                _pending = _previous = null;
                _upgrading = false;
                return true;
            }
            start = length = 0;
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    private static bool Attempt(IPacketProtector protector, Span<byte> frame, byte[] original, int headerLength, out int start, out int length)
    {
        original.AsSpan(0, frame.Length).CopyTo(frame);
        return protector.TryUnprotect(frame, headerLength, out start, out length);
    }
}

// The TLS 1.3 record layer's byte format (RFC 8446 §5.1–5.4): pure sealing and opening of protected records, no I/O.
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace P2PChat.Rendezvous.Tls;

/// <summary>Content types (RFC 8446 §5.1). After the handshake every record on the wire is outer type 23.</summary>
public enum TlsContentType : byte
{
    Invalid = 0,
    ChangeCipherSpec = 20,
    Alert = 21,
    Handshake = 22,
    ApplicationData = 23,
}

/// <summary>
/// One protected record:
/// <code>
///   byte 0     opaque_type = 23 (application_data)
///   byte 1-2   legacy_record_version = 0x0303
///   byte 3-4   length (big-endian) of what follows: ≤ 2^14 + 256
///   byte 5..   AEAD-encrypted TLSInnerPlaintext ‖ 16-byte tag
///
///   TLSInnerPlaintext = content (≤ 2^14 bytes) ‖ real content type (1 byte, never 0) ‖ zero padding
///   nonce = iv XOR (the record's 64-bit sequence number, big-endian, left-padded with zeros to 12 bytes)
///   additional data = the 5-byte header above
/// </code>
/// Each direction counts its records from 0 for every key (the first record under a new key is number 0).
/// Refusals, with the alert RFC 8446 names: a length over 2^14 + 256, or inner content over 2^14 → record_overflow;
/// a tag that does not verify (also a body shorter than the tag plus one byte) → bad_record_mac; an inner plaintext of
/// zeros only (no content type) → unexpected_message.
/// </summary>
public static class RecordCodec
{
    public const int HeaderLength = 5;
    public const int MaxPlaintext = 1 << 14;
    public const int MaxCiphertext = MaxPlaintext + 256;
    public const int MaxRecord = HeaderLength + MaxCiphertext;
    private const int Overhead = HeaderLength + 1 + TlsCipherSuites.TagLength;

    /// <summary>Bytes a record carrying <paramref name="contentLength"/> bytes takes on the wire (no padding).</summary>
    public static int SealedLength(int contentLength) => contentLength + Overhead;

    /// <summary>The length (header included) of the record at the start of <paramref name="input"/> once it is all
    /// there, or 0 while more bytes are needed.</summary>
    /// <exception cref="TlsAlertException">record_overflow: a declared length over 2^14 + 256.</exception>
    public static int CompleteLength(ReadOnlySpan<byte> input)
    {
        if (input.Length < HeaderLength) return 0;
        var length = BinaryPrimitives.ReadUInt16BigEndian(input[3..]);
        if (length > MaxCiphertext) throw new TlsAlertException(TlsAlert.RecordOverflow, false, $"a TLS record of {length} bytes (limit {MaxCiphertext})");
        return input.Length >= HeaderLength + length ? HeaderLength + length : 0;
    }

    /// <summary>Seals <paramref name="content"/> (≤ 2^14 bytes) as one record of <paramref name="type"/> with sequence number
    /// <paramref name="sequence"/> into <paramref name="destination"/>; returns the bytes written
    /// (<see cref="SealedLength"/>).</summary>
    public static int Seal(RecordAead aead, ReadOnlySpan<byte> iv, ulong sequence, TlsContentType type, ReadOnlySpan<byte> content, Span<byte> destination)
    {
        if (content.Length > MaxPlaintext) throw new ArgumentException("more than 2^14 bytes in one record", nameof(content));
        var total = SealedLength(content.Length);
        var header = destination[..HeaderLength];
        header[0] = (byte)TlsContentType.ApplicationData;
        header[1] = 3;
        header[2] = 3;
        BinaryPrimitives.WriteUInt16BigEndian(header[3..], (ushort)(total - HeaderLength));
        var inner = destination.Slice(HeaderLength, content.Length + 1);
        content.CopyTo(inner);
        inner[^1] = (byte)type;
        Span<byte> nonce = stackalloc byte[TlsCipherSuites.IvLength];
        Nonce(iv, sequence, nonce);
        aead.Encrypt(nonce, inner, inner, destination.Slice(HeaderLength + inner.Length, TlsCipherSuites.TagLength), header);
        return total;
    }

    /// <summary>Opens the whole record <paramref name="record"/> (header and body) in place: its content is then at
    /// <c>record[5..(5 + Length)]</c>. The outer type and version are not checked here (the caller checks the type;
    /// the version is authenticated as part of the header and otherwise ignored, RFC 8446 §5.1).</summary>
    /// <exception cref="TlsAlertException">bad_record_mac, unexpected_message or record_overflow (see the class).</exception>
    public static (TlsContentType Type, int Length) Open(RecordAead aead, ReadOnlySpan<byte> iv, ulong sequence, Span<byte> record)
    {
        var body = record[HeaderLength..];
        if (body.Length < TlsCipherSuites.TagLength + 1) throw new TlsAlertException(TlsAlert.BadRecordMac, false, "a TLS record too short to be protected");
        var inner = body[..^TlsCipherSuites.TagLength];
        Span<byte> nonce = stackalloc byte[TlsCipherSuites.IvLength];
        Nonce(iv, sequence, nonce);
        try { aead.Decrypt(nonce, inner, body[^TlsCipherSuites.TagLength..], inner, record[..HeaderLength]); }
        catch (AuthenticationTagMismatchException) { throw new TlsAlertException(TlsAlert.BadRecordMac, false, "a TLS record failed authentication"); }
        var end = inner.LastIndexOfAnyExcept((byte)0);
        if (end < 0) throw new TlsAlertException(TlsAlert.UnexpectedMessage, false, "a TLS record without a content type (all zeros)");
        if (end > MaxPlaintext) throw new TlsAlertException(TlsAlert.RecordOverflow, false, $"a TLS record with {end} bytes of content (limit {MaxPlaintext})");
        return ((TlsContentType)inner[end], end);
    }

    /// <summary>iv XOR the big-endian sequence number in the last 8 bytes (RFC 8446 §5.3).</summary>
    public static void Nonce(ReadOnlySpan<byte> iv, ulong sequence, Span<byte> nonce)
    {
        iv.CopyTo(nonce);
        var low = BinaryPrimitives.ReadUInt64BigEndian(nonce[4..]) ^ sequence;
        BinaryPrimitives.WriteUInt64BigEndian(nonce[4..], low);
    }
}

// The one handshake message a client may send after the TLS 1.3 handshake here: KeyUpdate (RFC 8446 §4.6.3). Pure.
namespace P2PChat.Rendezvous.Tls;

/// <summary>
/// <code>
///   Handshake { msg_type = 24 (key_update) : 1 byte, length = 1 : 3 bytes big-endian,
///               request_update : 1 byte (0 update_not_requested, 1 update_requested) }
/// </code>
/// A KeyUpdate changes the key, so it must end its record (RFC 8446 §5.1). The server never asks for post-handshake
/// client authentication and sends no CertificateRequest, so every other handshake message after the handshake
/// (NewSessionTicket from a client, Certificate, a second ClientHello...) is refused with unexpected_message, as is a
/// handshake message split across records (only a KeyUpdate is accepted, and it is 5 bytes).
/// </summary>
public static class PostHandshakeMessage
{
    public const byte KeyUpdateType = 24;
    public const int KeyUpdateLength = 5;

    /// <summary>The request_update flag of the KeyUpdate that is the whole content of a handshake record.</summary>
    /// <exception cref="TlsAlertException">unexpected_message (not a KeyUpdate, split, or followed by more), decode_error
    /// (a wrong length) or illegal_parameter (request_update neither 0 nor 1).</exception>
    public static bool ParseKeyUpdate(ReadOnlySpan<byte> content)
    {
        if (content.Length < 4 || content[0] != KeyUpdateType)
            throw new TlsAlertException(TlsAlert.UnexpectedMessage, false, content.IsEmpty
                ? "an empty handshake record after the handshake"
                : $"handshake message type {content[0]} after the handshake (only KeyUpdate is accepted)");
        var length = (content[1] << 16) | (content[2] << 8) | content[3];
        if (length != 1) throw new TlsAlertException(TlsAlert.DecodeError, false, $"a KeyUpdate of {length} bytes (must be 1)");
        if (content.Length < KeyUpdateLength) throw new TlsAlertException(TlsAlert.UnexpectedMessage, false, "a KeyUpdate split across records");
        if (content.Length > KeyUpdateLength) throw new TlsAlertException(TlsAlert.UnexpectedMessage, false, "data after a KeyUpdate in the same record");
        return content[4] switch
        {
            0 => false,
            1 => true,
            var v => throw new TlsAlertException(TlsAlert.IllegalParameter, false, $"KeyUpdate request_update {v}"),
        };
    }

    /// <summary>Writes a KeyUpdate (5 bytes) into <paramref name="destination"/>.</summary>
    public static void WriteKeyUpdate(bool requestUpdate, Span<byte> destination)
    {
        destination[0] = KeyUpdateType;
        destination[1] = 0;
        destination[2] = 0;
        destination[3] = 1;
        destination[4] = requestUpdate ? (byte)1 : (byte)0;
    }
}

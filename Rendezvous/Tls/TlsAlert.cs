// TLS alert descriptions the record layer sends or understands, and the error that carries one.
namespace P2PChat.Rendezvous.Tls;

/// <summary>Alert descriptions (RFC 8446 §6). In TLS 1.3 every alert but close_notify and user_canceled is fatal.</summary>
public enum TlsAlert : byte
{
    CloseNotify = 0,
    UnexpectedMessage = 10,
    BadRecordMac = 20,
    RecordOverflow = 22,
    HandshakeFailure = 40,
    IllegalParameter = 47,
    DecodeError = 50,
    InternalError = 80,
    UserCanceled = 90,
}

/// <summary>The connection failed with <see cref="Alert"/> (sent by us when <see cref="Sent"/>, else received from the
/// peer). An IOException, so the session above treats it like any lost connection.</summary>
public sealed class TlsAlertException(TlsAlert alert, bool sent, string message) : IOException(message)
{
    public TlsAlert Alert { get; } = alert;
    public bool Sent { get; } = sent;
}

// Error codes the peer itself reports (the server's status codes end at 35, so these start at 100).
namespace P2PChat.Peer.Events;

public enum PeerErrorCode
{
    /// <summary>No command of that name.</summary>
    UnknownCommand = 100,
    /// <summary>Missing, extra or invalid arguments; the text says which.</summary>
    BadArguments = 101,
    /// <summary>Not connected to the server (and could not connect).</summary>
    NotConnected = 102,
    /// <summary>The command needs a signed-in session.</summary>
    NotSignedIn = 103,
    /// <summary>The server's certificate is not the pinned one; the text names both fingerprints.</summary>
    CertificateRejected = 104,
    /// <summary>The TCP or TLS connection could not be made.</summary>
    ConnectionFailed = 105,
    /// <summary>The server did not answer in time.</summary>
    NoReply = 106,
    /// <summary>The server broke the protocol.</summary>
    ProtocolError = 107,
    /// <summary>End-to-end encryption cannot be done: no keys open, the contact published none, or a check failed.</summary>
    E2eUnavailable = 108,
    /// <summary>/verify: the safety number typed is not the pair's.</summary>
    SafetyNumberMismatch = 109,
    /// <summary>The local history database could not be written.</summary>
    HistoryFailed = 110,
    /// <summary>No direct link (nor relayed one) to the contact could be made; the text says why (offline, key not accepted, no answer).</summary>
    LinkUnavailable = 120,
}


// The states of one client connection.
namespace P2PChat.Rendezvous.Sessions;

/// <summary>
/// The session state machine:
/// <code>
///   AwaitHello --HELLO (a common version)--> Anonymous --IAM (ok)--> SignedIn
///       |  any other frame: STATUS 20            |  REGISTER stays; PING/PONG answered
///       |  no common version: STATUS 19          |  any other command: STATUS 1
///       v                                        v                        |
///   Closing  <------------------------------------------------------------+  QUIT, a closing STATUS,
///                                                                             dead connection, server stop
/// </code>
/// Closing is final: the queued frames and the closing STATUS are flushed, then the socket is shut down.
/// </summary>
public enum SessionState
{
    AwaitHello,
    Anonymous,
    SignedIn,
    Closing,
}

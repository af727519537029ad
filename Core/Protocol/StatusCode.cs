// Every status code the server sends: the seed's reply codes 0-17 keep their numbers and meanings; 18+ are ours.
namespace P2PChat.Core.Protocol;

/// <summary>
/// Status codes carried by STATUS frames. 0-17 are the seed note's server replies, unchanged.
/// What the STATUS frame's <c>Subject</c> and <c>Value</c> fields mean for each code is written next to it.
/// </summary>
public enum StatusCode : byte
{
    /// <summary>Not enough data given for the command (a required field is empty).</summary>
    NotEnoughData = 0,
    /// <summary>Please authenticate first: a command arrived before sign-in. The connection is closed.</summary>
    PleaseAuth = 1,
    /// <summary>Authentication succeeded (sent after the three sign-in phases are complete).</summary>
    AuthOk = 2,
    /// <summary>Unknown user. Value: 1 not registered, 2 no message, 3 anything else.</summary>
    UnknownUser = 3,
    /// <summary>Wrong password.</summary>
    WrongPassword = 4,
    /// <summary>The username is already taken.</summary>
    UsernameExists = 5,
    /// <summary>Registration succeeded. Subject: the new user's tag.</summary>
    Registered = 6,
    /// <summary>A message from a user or channel (carried by MSG frames; listed for completeness).</summary>
    Message = 7,
    /// <summary>Someone offers a file (used by the file-transfer layer).</summary>
    FileOffer = 8,
    /// <summary>A peer is ready to receive a file (used by the file-transfer layer).</summary>
    FileReady = 9,
    /// <summary>A peer rejected a file (used by the file-transfer layer).</summary>
    FileRejected = 10,
    /// <summary>Subject wants to be your friend.</summary>
    FriendRequest = 11,
    /// <summary>Subject accepted your friendship.</summary>
    FriendAccepted = 12,
    /// <summary>Subject refused your friendship.</summary>
    FriendRefused = 13,
    /// <summary>Offline messages follow. Value: how many MSG frames follow with the offline flag.</summary>
    OfflineMessages = 14,
    /// <summary>You were signed out because your account signed in elsewhere. The connection is closed.</summary>
    SignedInElsewhere = 15,
    /// <summary>You were kicked by an admin (Subject). The connection is closed.</summary>
    Kicked = 16,
    /// <summary>Subject buzzed you.</summary>
    Buzzed = 17,

    /// <summary>The request succeeded (answers requests that have no other reply).</summary>
    Ok = 18,
    /// <summary>No protocol version in common. Value: the highest version the server speaks. Closed.</summary>
    UnsupportedVersion = 19,
    /// <summary>A frame could not be parsed. Closed.</summary>
    MalformedFrame = 20,
    /// <summary>A frame's length exceeds the limit. Value: the limit in bytes. Closed.</summary>
    FrameTooLarge = 21,
    /// <summary>You may not do that (not an operator, not an admin, not invited...).</summary>
    NotAllowed = 22,
    /// <summary>The account is banned. Value: seconds left. Closed.</summary>
    Banned = 23,
    /// <summary>Too many failed sign-ins from this address. Value: seconds left. Closed.</summary>
    LoginsBlocked = 24,
    /// <summary>Too many commands: ignored for a while. Value: seconds left.</summary>
    Flooding = 25,
    /// <summary>Too many connections from this address. Closed.</summary>
    TooManyConnections = 26,
    /// <summary>The server is shutting down. Closed.</summary>
    ServerShuttingDown = 27,
    /// <summary>A field is invalid; Text says which and why.</summary>
    InvalidField = 28,
    /// <summary>No such channel.</summary>
    UnknownChannel = 29,
    /// <summary>A channel of that name exists already.</summary>
    ChannelExists = 30,
    /// <summary>You are not a member of that channel.</summary>
    NotMember = 31,
    /// <summary>Subject removed you from their friends.</summary>
    FriendRemoved = 32,
    /// <summary>No frame arrived within the heartbeat timeout. Closed.</summary>
    Timeout = 33,
    /// <summary>The recipient's offline queue is full.</summary>
    QueueFull = 34,
    /// <summary>The server failed; the request was not carried out.</summary>
    InternalError = 35,
    /// <summary>Not now: the server is busy with other sign-ins. Value: milliseconds to wait before sending the request
    /// (refOpcode) again. The connection stays open.</summary>
    RetryLater = 36,
    /// <summary>In the sign-in burst, instead of the general channel's member list: too many users are online to list
    /// them all; page through them with ROSTER_PAGE. Subject: the general channel; value: users online.</summary>
    RosterPaged = 37,
    /// <summary>RESUME refused: sign in with the password (IAM). Value: 1 unknown or revoked ticket, 2 expired,
    /// 3 issued to another device. The connection stays open.</summary>
    TicketRefused = 38,
    /// <summary>Too many wrong passwords for this account: IAM not checked. Value: seconds to wait. Not closed.</summary>
    SignInDelayed = 42,
    /// <summary>Too many sign-ups from this address or on the server: REGISTER not carried out. Value: seconds to wait. Not closed.</summary>
    SignUpsThrottled = 43,

    /// <summary>A relay limit (packets or bytes a second, server config) was hit: packets are being dropped. Subject:
    /// the peer the packet was for; value: milliseconds until the budget allows again. At most one a second.</summary>
    RelayLimited = 50,
    /// <summary>LINK refused: a link to yourself, or to a user without an identity key. Subject: the peer; value: requestId.</summary>
    LinkNotAllowed = 51,
    /// <summary>LINK: the peer is not online (or unknown, or does not take links from you). Subject: the peer; value: requestId.</summary>
    PeerUnreachable = 52,
}

/// <summary>Which status codes end the connection after they are sent.</summary>
public static class StatusCodes
{
    public static bool ClosesConnection(StatusCode code) => code is StatusCode.PleaseAuth
        or StatusCode.SignedInElsewhere or StatusCode.Kicked or StatusCode.UnsupportedVersion
        or StatusCode.MalformedFrame or StatusCode.FrameTooLarge or StatusCode.Banned
        or StatusCode.LoginsBlocked or StatusCode.TooManyConnections or StatusCode.ServerShuttingDown
        or StatusCode.Timeout;
}

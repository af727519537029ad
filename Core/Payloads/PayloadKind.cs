// The one registry of peer-to-peer payload kinds: the first byte of every plaintext peers send each other end to end.
namespace P2PChat.Core.Payloads;

/// <summary>
/// Every plaintext a peer encrypts for another peer (inside a pairwise session, a sender-key group message, or later a
/// direct link) starts with one of these bytes, so a receiver can tell chat from control traffic before anything is
/// shown. Ranges are reserved per feature so that adding a kind never renumbers another:
/// <code>
/// 0x01–0x0F  messaging      0x01 Text, 0x02 SenderKey
/// 0x10–0x1F  direct links   0x10 PrivateMessage (a link stream carrying one PM envelope)
/// 0x20–0x2F  file transfer  (offer, accept, reject, chunk requests, cancel)
/// 0x30–0x3F  private rooms  (state, votes, membership, handoff)
/// 0x40–0x4F  games          (commit, reveal, results)
/// </code>
/// A kind a peer does not know is dropped with a decrypt_failed event, never shown as text.
/// </summary>
public enum PayloadKind : byte
{
    /// <summary>Chat text: body = UTF-8.</summary>
    Text = 0x01,

    /// <summary>Our sender key for an invite-only channel (control, never shown): body = channel tag u32 BE | SenderKeyDistribution.</summary>
    SenderKey = 0x02,

    /// <summary>A contact-link stream carrying one PM (the same end-to-end envelope the server would carry); layout in Peer/Links/LinkMessageCodec.</summary>
    PrivateMessage = 0x10,

    /// <summary>A contact-link stream carrying one file transfer control message and its answer (docs/files.md).</summary>
    FileControl = 0x20,

    /// <summary>A contact-link stream carrying one transfer's chunks: the sender's id, the receiver's requests, the data (docs/files.md).</summary>
    FileData = 0x21,

    // Private rooms (docs/rooms.md §6). 0x30 is the kind of a room stream on a contact link; 0x31–0x3B are the frame
    // kinds inside that stream; 0x3C–0x3F are the room control payloads carried, sender-key encrypted, in room posts.

    /// <summary>A contact-link stream that carries one room's frames (member ↔ host, or an invitation).</summary>
    RoomStream = 0x30,
    /// <summary>Member → host, first frame of a room stream: room id, the state the member holds, what it saw last.</summary>
    RoomHello = 0x31,
    /// <summary>A signed room state, either way.</summary>
    RoomState = 0x32,
    /// <summary>Member → host: one sender-key encrypted entry (message id = sender tag + sender sequence).</summary>
    RoomPost = 0x33,
    /// <summary>Host → member: an entry in the host's order (epoch, order) — also the sender's acknowledgement.</summary>
    RoomDeliver = 0x34,
    /// <summary>Heartbeat with a timestamp, either way; answered by <see cref="RoomPong"/>.</summary>
    RoomPing = 0x35,
    /// <summary>The echo of a ping (round-trip time).</summary>
    RoomPong = 0x36,
    /// <summary>A sender key sealed to one member, relayed by the host without being readable by it.</summary>
    RoomKeyBox = 0x37,
    /// <summary>Member → host: a request only the host may sign (admit a member, leave).</summary>
    RoomRequest = 0x38,
    /// <summary>Inviter → invitee: the room id, its name and its current signed state.</summary>
    RoomInvite = 0x39,
    /// <summary>Either way: the sender ends the room stream (reason code, text).</summary>
    RoomBye = 0x3A,
    /// <summary>Host → member: an event the member must see (refusal, exclusion).</summary>
    RoomNotice = 0x3B,
    /// <summary>In a room post: a vote for the next host (candidate tag, epoch).</summary>
    RoomVote = 0x3C,
    /// <summary>In a room post: a commitment for a commit-reveal round (round id, SHA-256 commitment).</summary>
    RoomCommit = 0x3D,
    /// <summary>In a room post: the reveal for a commit-reveal round (round id, 32-byte nonce).</summary>
    RoomReveal = 0x3E,
    /// <summary>In a room post: the start of a commit-reveal round (round id, purpose, participants).</summary>
    RoomRound = 0x3F,

    // Games (docs/rooms.md §8): room posts whose randomness comes from commit-reveal rounds.

    /// <summary>In a room post: a game request (/roll NdM, /roulette, /coin, /blackjack): game, round id, parameters.</summary>
    GameStart = 0x40,
    /// <summary>In a room post: a blackjack move (hit, stand) by the player.</summary>
    GameMove = 0x41,
}

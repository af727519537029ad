// The one opcode registry of the client-server protocol, with each frame's payload layout.
namespace P2PChat.Core.Protocol;

/// <summary>
/// Every frame is <c>u32 length | u8 opcode | payload</c> (big-endian; length counts opcode + payload).
/// Field notation: u8/u16/u32/u64/i64 big-endian integers; tag = u32; str8 = u8 byte count + UTF-8;
/// str16 = u16 byte count + UTF-8; bytes16 = u16 count + bytes; bytes32 = u32 count + bytes.
/// C→S is client to server, S→C server to client. 1-6 are the seed's opcodes with the seed's field order;
/// fields the seed did not have are appended after the seed's fields.
/// </summary>
public enum Opcode : byte
{
    /// <summary>C→S: u8 userLen, u8 passLen, user, pass (the seed's layout). S→C: tag, u8 isAdmin, i64 serverTimeMs, str8 nickname.</summary>
    Iam = 1,
    /// <summary>S→C: tag, str8 name, then for a user: str8 username, u8 presence, str16 awayText, u8 flags (1 friend, 2 admin), bytes16 identityKey;
    /// for a channel: u8 flags (1 invite-only, 2 you are operator), str16 topic.</summary>
    Add = 2,
    /// <summary>C→S: tag (a channel: its members; your own tag: your friends). S→C: tag, u32 n, n × tag, u32 m, m × tag (operators).</summary>
    Upd = 3,
    /// <summary>C→S: tag to, bytes32 data, u32 requestId, u8 flags. S→C: tag from, bytes32 data, tag to, i64 sentAtMs, u8 flags, u64 messageId.</summary>
    Msg = 4,
    /// <summary>C→S: tag channel, tag invitee. S→C: tag channel, tag inviter.</summary>
    Inv = 5,
    /// <summary>C→S: tag channel. S→C: tag channel, tag joiner.</summary>
    Co = 6,

    /// <summary>C→S: 4 bytes "P2PC", u16 minVersion, u16 maxVersion, str8 client. S→C: u16 version, i64 serverTimeMs, u32 heartbeatMs, str8 server.</summary>
    Hello = 0x10,
    /// <summary>S→C: u8 code, u8 refOpcode (0 = unsolicited), tag subject, u32 value, str16 text.</summary>
    Status = 0x11,
    /// <summary>C→S: str8 username, str8 password, str8 email, str8 nickname, str8 fullName, str8 birthDate (yyyy-mm-dd), str8 gender, str8 location, bytes16 identityKey.</summary>
    Register = 0x12,
    /// <summary>C→S: str8 nickname.</summary>
    Nick = 0x13,
    /// <summary>C→S: u8 presence, str16 text. S→C: tag, u8 presence, str16 text.</summary>
    Presence = 0x14,
    /// <summary>Either way: u64 nonce. Answered by PONG with the same nonce.</summary>
    Ping = 0x15,
    /// <summary>Either way: u64 nonce.</summary>
    Pong = 0x16,
    /// <summary>C→S: str8 name (without '#'), u8 flags (1 invite-only), str16 topic.</summary>
    Create = 0x17,
    /// <summary>C→S: tag channel. S→C: tag channel, tag user, u8 reason (0 left, 1 kicked), tag by.</summary>
    Leave = 0x18,
    /// <summary>C→S: tag user, tag channel (0 = from the server; admins only).</summary>
    Kick = 0x19,
    /// <summary>C→S: tag user, u32 minutes (0 lifts the ban). Admins only.</summary>
    Ban = 0x1A,
    /// <summary>C→S: tag channel, str16 topic. Operators only.</summary>
    Topic = 0x1B,
    /// <summary>C→S: u8 action (1 request, 2 accept, 3 refuse, 4 remove), tag user.</summary>
    Friend = 0x1C,
    /// <summary>C→S: tag user, u8 on (1 ignore, 0 unignore).</summary>
    Ignore = 0x1D,
    /// <summary>C→S: tag user.</summary>
    Buzz = 0x1E,
    /// <summary>S→C: u32 requestId, u64 messageId, i64 sentAtMs, u8 flags (1 stored for an offline recipient).</summary>
    MsgAck = 0x1F,
    /// <summary>C→S: str8 name ('#name' for a channel, else a username). Answered by ADD, or STATUS 3 / 29.</summary>
    Resolve = 0x20,
    /// <summary>C→S: empty. The client is leaving; the server closes the connection.</summary>
    Quit = 0x21,
    /// <summary>C→S: u64 messageId. Every offline MSG this connection sent up to and including this one (in the order sent, not by id) was received and may be deleted.</summary>
    OfflineAck = 0x22,
    /// <summary>C→S: bytes16 signedPrekey (empty: keep), u16 n, n × bytes16 oneTimePrekey. Answered by STATUS 18 (value: one-time prekeys held).</summary>
    Prekeys = 0x23,
    /// <summary>C→S: tag user. S→C: tag user, bytes16 identityKey, bytes16 signedPrekey, bytes16 oneTimePrekey (empty: none left; each is handed out once).</summary>
    Bundle = 0x24,
    /// <summary>S→C: u32 remaining one-time prekeys (fewer than the server's threshold; at sign-in and after fetches).</summary>
    PrekeysLow = 0x25,
    /// <summary>C→S: bytes16 identityKey (a new identity; old prekeys are dropped; online users get ADD). Answered by STATUS 18.</summary>
    Identity = 0x26,
    /// <summary>C→S: u16 n (1..256), n × (tag to (a user), bytes32 data), u32 requestId, u8 flags. One command: each part is delivered as a PM.</summary>
    MsgMulti = 0x27,
    /// <summary>S→C: u32 requestId, i64 sentAtMs, u16 n, n × (tag to, u8 code (18 ok, else the refusal's status code), u8 flags (1 stored offline), u64 messageId).</summary>
    MsgMultiAck = 0x28,
    /// <summary>S→C: u16 n, n × user card (an ADD payload for a user). The same as n ADD frames; batches the sign-in burst and coalesced deltas.</summary>
    Roster = 0x29,
    /// <summary>S→C: tag channel, u8 flags (1 first part, 2 last part), u32 n, n × tag members, u32 m, m × tag operators. A UPD too large for one frame, in parts.</summary>
    Members = 0x2A,
    /// <summary>C→S: tag channel (1), tag after, u16 max. S→C (after the page's ROSTER frames): tag channel, tag after, tag next (0: last page), u32 online.</summary>
    RosterPage = 0x2B,
    /// <summary>S→C: u16 n, n × (tag user, u8 presence, str16 text). The same as n PRESENCE frames (coalesced deltas).</summary>
    PresenceBatch = 0x2C,
    /// <summary>C→S: bytes16 deviceId (16 bytes), str8 deviceName. S→C: bytes16 ticket (48 bytes), i64 expiresAtMs.</summary>
    Ticket = 0x2D,
    /// <summary>C→S: bytes16 deviceId, bytes16 ticket. Signs in without the password; answered like IAM (or STATUS 38).</summary>
    Resume = 0x2E,
    /// <summary>C→S: u8 scope (1 one device, 2 every device), bytes16 deviceId (empty for 2). Answered by STATUS 18 (value: tickets revoked).</summary>
    Revoke = 0x2F,

    /// <summary>C→S: tag peer, u32 requestId, u8 direct setting, u8 nat, u8 n, n × candidate. Asks for an introduction; answered by INTRO or STATUS 51/52.</summary>
    Link = 0x40,
    /// <summary>C→S: u8 direct setting, u8 nat, u8 n, n × candidate. Publishes what an introduction to us may reveal. Answered by STATUS 18.</summary>
    Candidates = 0x41,
    /// <summary>S→C: tag peer, u32 requestId, bytes16 identityKey, bytes16 token, u8 flags (1 controlling, 2 withheld), i64 startAtMs, u8 nat, u8 n, n × candidate.</summary>
    Intro = 0x42,
    /// <summary>C→S: tag to, bytes16 packet. S→C: tag from, bytes16 packet. Opaque link packets through the server.</summary>
    Relay = 0x43,
}

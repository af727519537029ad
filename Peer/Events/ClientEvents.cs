// Everything the client tells its front end (headless JSON lines, later the TUI): one record per event kind.
using P2PChat.Core.Protocol;

namespace P2PChat.Peer.Events;

/// <summary>
/// The base of every client event. Users are named by username (their login name, which never changes);
/// channels by "#name". Tags are the protocol's 32-bit tags as numbers.
/// </summary>
public abstract record ClientEvent;

/// <summary>TLS is up and the version agreed. Pin: first_use, matched or replaced.</summary>
public sealed record ConnectedEvent(string Server, string Fingerprint, PinOutcome Pin, ushort Version) : ClientEvent;

/// <summary>The connection to the server ended. Code: the closing status code, if the server sent one.</summary>
public sealed record DisconnectedEvent(string Reason, int? Code) : ClientEvent;

/// <summary>
/// The connection was lost (Reason: why, or why the last attempt failed); attempt number Attempt (from 1) to connect and
/// sign in again starts in DelayMs milliseconds. connected and signed_in follow when it succeeds.
/// </summary>
public sealed record ReconnectingEvent(int Attempt, long DelayMs, string Reason) : ClientEvent;

public sealed record RegisteredEvent(string User, uint Tag) : ClientEvent;

/// <summary>The sign-in burst is complete: the directory, invites and offline messages have all arrived.</summary>
public sealed record SignedInEvent(string User, uint Tag, string Nickname, bool Admin) : ClientEvent;

/// <summary>A user was added or changed (ADD): new, renamed, presence, friend flag.</summary>
public sealed record UserEvent(uint Tag, string User, string Nickname, Presence Presence, string AwayText, bool Friend, bool Admin) : ClientEvent;

/// <summary>A channel was added or changed (ADD).</summary>
public sealed record ChannelEvent(uint Tag, string Channel, string Topic, bool InviteOnly, bool Operator) : ClientEvent;

/// <summary>A channel's member list (UPD).</summary>
public sealed record MembersEvent(string Channel, uint Tag, IReadOnlyList<string> Members, IReadOnlyList<string> Operators) : ClientEvent;

/// <summary>The members event just before was one page of a paged general channel: Shown users of Online; More: /who #general more gets the next.</summary>
public sealed record RosterPageEvent(string Channel, int Shown, uint Online, bool More) : ClientEvent;

/// <summary>One's friend list (UPD with one's own tag).</summary>
public sealed record FriendsEvent(IReadOnlyList<FriendEntry> Friends) : ClientEvent;

public sealed record FriendEntry(string User, string Nickname, Presence Presence);

/// <summary>
/// A message to us or to a channel we are in. Route: server (for now), direct or relay. E2e: true only when the text
/// was end-to-end encrypted and decrypted here (PMs); false for the general channel and open channels (TLS to the
/// server only). KeyStatus (e2e messages only): the sender's identity key as we hold it: trusted, verified, or
/// changed (a key change is pending /trust: show the message with a warning).
/// </summary>
public sealed record MessageEvent(
    string From, string To, string Text, DateTimeOffset SentAt, bool Offline, string Route, bool E2e, ulong MessageId,
    string? KeyStatus = null) : ClientEvent;

/// <summary>An end-to-end encrypted message from From could not be decrypted (tampered, replayed, unknown keys); it is dropped.</summary>
public sealed record DecryptFailedEvent(string From, string Reason, ulong MessageId, bool Offline) : ClientEvent;

/// <summary>
/// A contact's identity key is not the one on record (a new device, a lost profile, or an attack). Messages to them are
/// held until /trust USER (or /verify USER NUMBER). Fingerprints are grouped digits (docs/security.md 4.1).
/// </summary>
public sealed record KeyChangedEvent(string User, string OldFingerprint, string NewFingerprint, string Text) : ClientEvent;

/// <summary>A message to To was not sent because To's key changed; Held: how many wait for /trust To.</summary>
public sealed record MessageHeldEvent(string To, int Held, string Text) : ClientEvent;

/// <summary>/fingerprint: one's own identity fingerprint (30 digits in groups of five).</summary>
public sealed record FingerprintEvent(string User, string Fingerprint) : ClientEvent;

/// <summary>
/// A contact's key as held after /safety, /verify or /trust. Status: trusted, verified or changed. SafetyNumber: the
/// pair's 60 digits in groups of five, to compare out of band. Released: messages sent after /trust.
/// </summary>
public sealed record ContactKeyEvent(string User, string Status, string Fingerprint, string SafetyNumber, int Released) : ClientEvent;

/// <summary>The server accepted a message we sent (MSG_ACK).</summary>
public sealed record SentEvent(string To, uint RequestId, ulong MessageId, DateTimeOffset SentAt, bool StoredOffline, string? Route = null) : ClientEvent;

public sealed record PresenceEvent(string User, Presence Presence, string Text) : ClientEvent;

public sealed record InviteEvent(string Channel, string From) : ClientEvent;

public sealed record JoinedEvent(string Channel, string User) : ClientEvent;

/// <summary>Someone left a channel, or was kicked from it (By: the operator).</summary>
public sealed record LeftEvent(string Channel, string User, bool Kicked, string? By) : ClientEvent;

public sealed record FriendRequestEvent(string From) : ClientEvent;

/// <summary>State: accepted, refused or removed (by User).</summary>
public sealed record FriendUpdateEvent(string User, string State) : ClientEvent;

public sealed record BuzzEvent(string From) : ClientEvent;

/// <summary>An admin kicked us off the server; the connection is closed.</summary>
public sealed record KickedEvent(string By, string Text) : ClientEvent;

/// <summary>Our account signed in from somewhere else; this connection is closed.</summary>
public sealed record SignedOutElsewhereEvent(string Text) : ClientEvent;

/// <summary>
/// A status from the server that is not one of the events above: a request succeeded (code 18), or news
/// (e.g. 14 offline messages follow). Command: the command it answers, when it answers one.
/// </summary>
public sealed record StatusEvent(int Code, string Name, string Text, string? Command, string? Subject, uint Value) : ClientEvent;

/// <summary>
/// Something failed: codes 0-35 are the server's status codes (see docs/protocol.md); 100 and up are the
/// peer's own (<see cref="PeerErrorCode"/>). Command: the command that failed, when known.
/// </summary>
public sealed record ErrorEvent(int Code, string Text, string? Command) : ClientEvent;

/// <summary>The answer to /help: every command with its usage and one line of help.</summary>
public sealed record HelpEvent(IReadOnlyList<HelpEntry> Commands) : ClientEvent;

public sealed record HelpEntry(string Command, string Usage, string Help);

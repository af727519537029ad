// What rooms tell the front end (headless: one JSON line each, docs/headless.md "Rooms").
using P2PChat.Peer.Events;

namespace P2PChat.Peer.Rooms;

/// <summary>An invitation arrived: /room join ROOM accepts it. Host: who hosts now (the invitee connects to it).</summary>
public sealed record RoomInviteEvent(string Room, string Name, string From, string Host, int Members) : ClientEvent;

/// <summary>We are in the room (created, joined, or rejoined after a restart of its host).</summary>
public sealed record RoomJoinedEvent(string Room, string Name, string Host) : ClientEvent;

/// <summary>
/// The room's signed state changed (or /room members asked): every member with role, online, whether the host can
/// see their address (route direct) and their place in the succession (0 = host).
/// </summary>
public sealed record RoomStateEvent(string Room, string Name, ulong Version, uint Epoch, string Host, IReadOnlyList<string> Succession,
    int RotationMinutes, IReadOnlyList<RoomMemberInfo> Members) : ClientEvent;

/// <param name="Online">connected to the host now (the host itself is online).</param>
/// <param name="AddressVisibleToHost">the member reaches the host on a direct path, so the host (and only it) knows its IP address; false through the relay; null when unknown here.</param>
public sealed record RoomMemberInfo(string User, string Role, bool Online, bool? AddressVisibleToHost, int Place);

/// <summary>The host changed (or is known for the first time): Reason is created, joined, vote, rotation, failover, handoff or merged (split brain healed).</summary>
public sealed record RoomHostEvent(string Room, string Host, IReadOnlyList<string> Succession, uint Epoch, string Reason) : ClientEvent;

/// <summary>A member joined, left, came online, went offline, was kicked, banned or excluded (Change).</summary>
public sealed record RoomMemberEvent(string Room, string User, string Change, string? Reason = null) : ClientEvent;

/// <summary>We left the room (or were kicked / banned: Reason says so).</summary>
public sealed record RoomLeftEvent(string Room, string Name, string Reason) : ClientEvent;

/// <summary>The rooms we are in (/rooms).</summary>
public sealed record RoomsEvent(IReadOnlyList<RoomSummary> Rooms) : ClientEvent;

public sealed record RoomSummary(string Room, string Name, string Host, int Members, bool Hosting);

/// <summary>A vote was cast (Voter for Candidate in Epoch); Elected is set once a candidate has a majority.</summary>
public sealed record RoomVoteEvent(string Room, string Voter, string Candidate, uint Epoch, string? Elected) : ClientEvent;

/// <summary>
/// A game result with its proof: the round's commitments and reveals (hex, by user) from which anyone recomputes
/// the seed (SHA-256, docs/rooms.md §8) and so the result. Game: roll, roulette, coin, blackjack, rotation.
/// </summary>
public sealed record RoomGameEvent(string Room, string Game, string By, string Result, ulong Round, string Seed,
    IReadOnlyDictionary<string, string> Commitments, IReadOnlyDictionary<string, string> Reveals) : ClientEvent;

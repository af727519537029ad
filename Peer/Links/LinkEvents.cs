// What the link layer tells the front end: a link came up, changed route or went down; the list for /links; the setting.
using P2PChat.Peer.Events;

namespace P2PChat.Peer.Links;

/// <summary>
/// <c>{"event":"link",...}</c> (docs/headless.md): sent when a link to <paramref name="Peer"/> comes up, when its route
/// changes (relay → direct, or back), and when it goes down.
/// </summary>
/// <param name="State">up or down.</param>
/// <param name="Route">direct or relay (null when down).</param>
/// <param name="Transport">udp (the only transport links use today).</param>
/// <param name="Via">lan, reflexive, mapped, probed or relay.</param>
/// <param name="IpVersion">4 or 6 for a direct path; null for the relay.</param>
/// <param name="RttMs">the path's round trip when it was nominated (direct), or the transport's smoothed RTT (relay).</param>
/// <param name="Reason">why it went down or could not be made.</param>
public sealed record LinkEvent(string Peer, string State, string? Route, string? Transport, string? Via, int? IpVersion, double? RttMs, string? Reason = null) : ClientEvent;

/// <summary>One live link in <c>/links</c>.</summary>
public sealed record LinkEntry(string Peer, string Route, string Transport, string Via, int? IpVersion, double? RttMs, DateTimeOffset Since);

/// <summary><c>{"event":"links","links":[...]}</c>: the answer to /links; <paramref name="Direct"/> is this peer's setting.</summary>
public sealed record LinksEvent(string Direct, IReadOnlyList<LinkEntry> Links) : ClientEvent;

/// <summary><c>{"event":"direct_setting","direct":"friends"}</c>: the answer to /set direct.</summary>
public sealed record DirectSettingEvent(string Direct) : ClientEvent;

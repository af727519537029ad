// LINK, CANDIDATES and RELAY on the server: introductions that obey each user's direct setting, and the relay by tag.
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Rendezvous.Configuration;
using P2PChat.Rendezvous.Relations;
using P2PChat.Rendezvous.Sessions;
using P2PChat.Rendezvous.Stun;

namespace P2PChat.Rendezvous.Links;

/// <summary>
/// <para><b>Introduction.</b> LINK from A for B (online, not ignoring A, both with identity keys): both get INTRO with
/// the same fresh token, the other's identity key, the same start time, and the controlling role given to the lower
/// tag (so two crossing requests agree). Candidates are revealed only if <b>both</b> settings allow it
/// (<see cref="CandidatePolicy"/>): a direct path would show each side the other's address, so when either side's
/// setting withholds its candidates from the other, both INTROs carry none and flag 2 (relay only). Otherwise STATUS 51
/// (yourself, no identity key) or 52 (offline, unknown, ignoring you), with refOpcode 0x40, value requestId.</para>
/// <para><b>Relay.</b> RELAY from A to B is passed on only if A's and B's current sessions were introduced to each
/// other, within A's budget (<see cref="RelayBudget"/>). Frames for anyone else are dropped with no answer and no
/// state (a line in a rate-limited log). Over budget: dropped, STATUS 50 at most once a second. A RELAY is forwarded
/// as one frame of the same size, so the relay never amplifies.</para>
/// </summary>
public sealed class LinkCommands(ISessionDirectory sessions, IgnoreLists ignores, RendezvousOptions options, TimeProvider time, ILogger log)
{
    /// <summary>How far ahead of the INTRO the checks start, so that both sides have it by then.</summary>
    public static readonly TimeSpan StartLead = TimeSpan.FromMilliseconds(100);

    private readonly LinkStates _states = new(options, time);
    private readonly RefusalLog _drops = new(log, time, "relay");

    public async Task RequestAsync(Session s, LinkRequest r, CancellationToken ct)
    {
        var me = _states.Of(s);
        me.Publish(r.Direct, r.Nat, r.Candidates);
        var self = s.User!;
        if (!r.Peer.IsUser || r.Peer == self.Tag)
        {
            await RefuseAsync(s, StatusCode.LinkNotAllowed, r, "a link needs another user", ct).ConfigureAwait(false);
            return;
        }
        var other = sessions.Find(r.Peer.Value);
        if (other?.User is not { } peer || await ignores.IsIgnoringAsync(peer.Tag.Value, self.Tag.Value, ct).ConfigureAwait(false))
        {
            await RefuseAsync(s, StatusCode.PeerUnreachable, r, "not online", ct).ConfigureAwait(false);
            return;
        }
        if (peer.IdentityKey.Length == 0 || self.IdentityKey.Length == 0)
        {
            await RefuseAsync(s, StatusCode.LinkNotAllowed, r, "a link needs both identity keys (sign in with end-to-end keys)", ct).ConfigureAwait(false);
            return;
        }
        var them = _states.Of(other);
        var (theirDirect, theirNat, theirCandidates) = them.Published;
        var revealed = CandidatePolicy.MayReveal(r.Direct, s.IsFriend(peer.Tag.Value))
            && CandidatePolicy.MayReveal(theirDirect, other.IsFriend(self.Tag.Value));
        var token = RandomNumberGenerator.GetBytes(Intro.TokenSize);
        var startAt = (time.GetUtcNow() + StartLead).ToUnixTimeMilliseconds();
        me.Introduce(peer.Tag.Value);
        them.Introduce(self.Tag.Value);
        var withheld = revealed ? IntroFlags.None : IntroFlags.Withheld;
        other.Deliver(new Intro(self.Tag, 0, self.IdentityKey, token,
            withheld | (self.Tag.Value < peer.Tag.Value ? IntroFlags.None : IntroFlags.Controlling), startAt,
            revealed ? r.Nat : (byte)0, revealed ? r.Candidates : []));
        await s.SendAsync(new Intro(peer.Tag, r.RequestId, peer.IdentityKey, token,
            withheld | (self.Tag.Value < peer.Tag.Value ? IntroFlags.Controlling : IntroFlags.None), startAt,
            revealed ? theirNat : (byte)0, revealed ? theirCandidates : []), ct).ConfigureAwait(false);
    }

    public ValueTask PublishAsync(Session s, LinkCandidates c, CancellationToken ct)
    {
        _states.Of(s).Publish(c.Direct, c.Nat, c.Candidates);
        return s.SendAsync(new Status(StatusCode.Ok, Opcode.Candidates, Tag.None, 0, ""), ct);
    }

    /// <summary>Passes one link packet on, or drops it; never waits (a relayed packet is best effort, like UDP).</summary>
    public void Relay(Session s, RelaySend r)
    {
        var from = s.UserTag;
        if (!options.Relay)
        {
            _drops.Add($"{from} to {r.To}", "relay is off on this server");
            return;
        }
        var me = _states.Of(s);
        if (!me.WasIntroducedTo(r.To.Value) || sessions.Find(r.To.Value) is not { } target || !_states.Of(target).WasIntroducedTo(from.Value))
        {
            _drops.Add($"{from} to {r.To}", "not introduced (or gone)");
            return;
        }
        if (me.Budget.TryTake(r.Packet.Length) is { } wait)
        {
            var now = time.GetTimestamp();
            if (me.LastLimitStatus != long.MinValue && time.GetElapsedTime(me.LastLimitStatus, now) < TimeSpan.FromSeconds(1)) return;
            me.LastLimitStatus = now;
            s.Deliver(new Status(StatusCode.RelayLimited, Opcode.Relay, r.To, (uint)Math.Ceiling(wait.TotalMilliseconds),
                $"relay limit: {options.RelayPacketsPerSecond} packets and {options.RelayBytesPerSecond} bytes a second"));
            return;
        }
        target.Offer(new RelayDeliver(from, r.Packet));
    }

    private static ValueTask RefuseAsync(Session s, StatusCode code, LinkRequest r, string text, CancellationToken ct) =>
        s.SendAsync(new Status(code, Opcode.Link, r.Peer, r.RequestId, text), ct);
}

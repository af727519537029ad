// What the server keeps per signed-in session for links: its direct setting, its candidates, whom it was introduced to.
using P2PChat.Core.Protocol.Frames;

namespace P2PChat.Rendezvous.Links;

/// <summary>
/// Memory only, dropped with the session. <see cref="Introduced"/> is what makes RELAY legal between two users: a
/// packet goes through only when both sides' current sessions were introduced to each other (bounded: the oldest
/// introduction is forgotten first).
/// </summary>
public sealed class LinkState(RelayBudget budget)
{
    public const int MaxIntroduced = 256;
    private readonly object _gate = new();
    private readonly LinkedList<uint> _introducedOrder = new();
    private readonly HashSet<uint> _introduced = [];
    private DirectSetting _direct = DirectSetting.Friends;
    private IReadOnlyList<LinkCandidate> _candidates = [];
    private byte _nat;

    public RelayBudget Budget { get; } = budget;

    /// <summary>When STATUS 50 was last sent (at most one a second).</summary>
    public long LastLimitStatus { get; set; } = long.MinValue;

    public (DirectSetting Direct, byte Nat, IReadOnlyList<LinkCandidate> Candidates) Published
    {
        get { lock (_gate) return (_direct, _nat, _candidates); }
    }

    public void Publish(DirectSetting direct, byte nat, IReadOnlyList<LinkCandidate> candidates)
    {
        lock (_gate) { _direct = direct; _nat = nat; _candidates = candidates; }
    }

    public void Introduce(uint peer)
    {
        lock (_gate)
        {
            if (!_introduced.Add(peer)) return;
            _introducedOrder.AddLast(peer);
            if (_introducedOrder.Count <= MaxIntroduced) return;
            _introduced.Remove(_introducedOrder.First!.Value);
            _introducedOrder.RemoveFirst();
        }
    }

    public bool WasIntroducedTo(uint peer)
    {
        lock (_gate) return _introduced.Contains(peer);
    }
}

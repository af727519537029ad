// RFC 8445 priorities: one number per candidate (section 5.1.2) and per candidate pair (section 6.1.2.3).
namespace P2PChat.Core.Links.Paths;

/// <summary>
/// Candidate priority = 2^24 × type preference + 2^8 × local preference + (256 − component id), with one component
/// (id 1). Type preferences: host 126, peer-reflexive 110, reflexive 100, mapped 90, relay 0 — RFC 8445's values for
/// the first three; a router-mapped port is checked after the reflexive address because the ranker prefers a plain
/// direct path to one that depends on a router lease. Local preference = 2^13 × direction + (8000 for IPv6, 4000 for
/// IPv4): UDP (7) above TCP, and among TCP RFC 6544's direction preference active 6, passive 4, simultaneous-open 2;
/// IPv6 above IPv4 as RFC 8421 recommends.
/// </summary>
public static class CandidatePriority
{
    public static int TypePreference(CandidateKind kind) => kind switch
    {
        CandidateKind.Host => 126,
        CandidateKind.PeerReflexive => 110,
        CandidateKind.Reflexive => 100,
        CandidateKind.Mapped => 90,
        _ => 0,
    };

    public static uint For(Candidate candidate) => For(candidate.Kind, candidate.IsIpv6, candidate.Transport);

    public static uint For(CandidateKind kind, bool ipv6, CandidateTransport transport = CandidateTransport.Udp)
    {
        // RFC 6544 section 4.2: direction preference active 6, passive 4, S-O 2; UDP above all TCP here.
        int direction = transport switch
        {
            CandidateTransport.Udp => 7,
            CandidateTransport.TcpActive => 6,
            CandidateTransport.TcpPassive => 4,
            _ => 2,
        };
        int local = (direction << 13) + (ipv6 ? 8000 : 4000);
        return ((uint)TypePreference(kind) << 24) + ((uint)local << 8) + (256u - 1u);
    }

    /// <summary>
    /// RFC 8445 section 6.1.2.3: 2^32 × min(G, D) + 2 × max(G, D) + (G &gt; D ? 1 : 0), where G is the controlling
    /// side's candidate priority and D the controlled side's. Both sides compute the same number for a pair.
    /// </summary>
    public static ulong Pair(uint controlling, uint controlled) =>
        ((ulong)Math.Min(controlling, controlled) << 32) + 2ul * Math.Max(controlling, controlled) + (controlling > controlled ? 1ul : 0ul);
}

// The birthday attack on a symmetric NAT (Tailscale's approach): when to use it, its budget, the odds, the port order.
using P2PChat.Core.Links.Paths;

namespace P2PChat.Core.Links.Checks;

/// <summary>
/// Used when exactly one side is hard (address- or address-and-port-dependent mapping: its reflexive address is
/// useless to the peer) and the other easy (endpoint-independent or no NAT), and neither side has a router-mapped
/// port (a mapped port lets anyone in, so the plain checks already work through it). The hard side opens <c>n</c> sockets and sends one check from each to
/// the easy side's reflexive address: n fresh NAT mappings, each letting in exactly the easy side's address. The easy
/// side sends checks from its usual socket to <c>k</c> random ports of the hard side's public address. A probe that
/// lands on one of the n ports passes the hard NAT, is answered from that socket, and the pair is checked and
/// nominated like any other. Odds with ports spread uniformly over 1024-65535 (64512 ports):
/// P(no hit) = (1 − n/64512)^k. n = 256, k = 2048: 1 − e^(−8.1) = 99.97 %; k = 1024: 98.3 %; k = 174: 50 %.
/// Budget: the hard side 256 packets of 64 bytes (16 KiB) and 256 sockets for at most the deadline; the easy side at
/// most 2048 packets (128 KiB) over 4.1 s (one every 2 ms, 256 kbit/s). Probing stops at the first success.
/// </summary>
public static class BirthdayProbing
{
    public const int FirstPort = 1024;
    public const int PortCount = 65536 - FirstPort;

    public enum Side { None, Hard, Easy }

    /// <summary>Which side of a birthday attack this one plays, or None when it is not the tool for this pair of NATs.</summary>
    public static Side Choose(CandidateSet local, CandidateSet remote)
    {
        if (local.HasMapped || remote.HasMapped) return Side.None;
        if (local.IsHard && remote.IsEasy && HasReflexive(remote)) return Side.Hard;
        if (local.IsEasy && remote.IsHard && HasReflexive(remote)) return Side.Easy;
        return Side.None;
    }

    private static bool HasReflexive(CandidateSet set) => set.Candidates.Any(c => c.Kind == CandidateKind.Reflexive && !c.IsIpv6);

    /// <summary>The chance that at least one of <paramref name="probes"/> distinct random ports hits one of <paramref name="mappings"/>.</summary>
    public static double SuccessProbability(int mappings, int probes) => 1 - Math.Pow(1 - (double)mappings / PortCount, probes);

    /// <summary><paramref name="count"/> distinct ports from 1024-65535 in random order (a partial Fisher-Yates shuffle).</summary>
    public static int[] PortOrder(Random random, int count)
    {
        count = Math.Min(count, PortCount);
        var ports = new int[PortCount];
        for (int i = 0; i < PortCount; i++) ports[i] = FirstPort + i;
        for (int i = 0; i < count; i++)
        {
            int j = random.Next(i, PortCount);
            (ports[i], ports[j]) = (ports[j], ports[i]);
        }
        return ports[..count];
    }
}

// Asks every configured STUN server at once from one socket and sums up what they saw: reflexive address, RFC 4787 mapping.
using System.Net;
using P2PChat.Core.Nat.Stun;

namespace P2PChat.Core.Nat;

/// <param name="Results">each server's answer or failure, in the order asked.</param>
/// <param name="Reflexive">the address:port the first answering server saw (null if none answered).</param>
/// <param name="PortPreserved">the NAT kept our local port (true when every answer carried it).</param>
public sealed record ReflexiveReport(IReadOnlyList<StunBindingResult> Results, MappingBehaviour Behaviour, IPEndPoint? Reflexive, bool PortPreserved);

public static class ReflexiveDiscovery
{
    /// <summary>
    /// Sends one Binding request per server (all at once, same socket) and classifies with
    /// <see cref="MappingClassifier"/>. Takes at most the STUN schedule's total (7.75 s by default).
    /// </summary>
    /// <param name="localEndPoints">the socket's own addresses (each interface address with its port), to recognise "no NAT".</param>
    public static async Task<ReflexiveReport> DiscoverAsync(StunClient client, IReadOnlyList<IPEndPoint> servers,
        IReadOnlyCollection<IPEndPoint> localEndPoints, int localPort, CancellationToken ct)
    {
        var results = await Task.WhenAll(servers.Select(s => client.BindAsync(s, ct))).ConfigureAwait(false);
        var answered = results.Where(r => r.Succeeded).ToList();
        var behaviour = MappingClassifier.Classify(results, localEndPoints);
        bool preserved = answered.Count > 0 && answered.All(r => r.Reflexive!.Port == localPort);
        return new ReflexiveReport(results, behaviour, answered.FirstOrDefault()?.Reflexive, preserved);
    }
}

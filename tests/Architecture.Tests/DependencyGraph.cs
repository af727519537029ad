// The allowed dependency graph of the product code, stated once: which module may use which.
namespace P2PChat.Architecture.Tests;

/// <summary>
/// A module is a namespace without the <c>P2PChat.</c> prefix, except that a few tightly knit namespaces count as one
/// (<see cref="ModuleOf"/>). Each line says which modules a module may use; <c>X.*</c> means X and every module below it.
/// The graph must stay acyclic (a test checks), so a build whose real dependencies are all allowed has no cycle.
/// <see cref="KnownDebts"/> lists the few edges that still break the layering today, each to be removed by the
/// refactoring named next to it; a test fails once a debt is paid, so the list only ever shrinks.
/// docs/architecture.md shows the same graph (a test checks that too).
/// </summary>
public static class DependencyGraph
{
    public static readonly string[] Lines =
    [
        // Core: Bytes (the one byte reader/writer) below all; wire formats and cryptography know no sockets; transport knows no links; links sit on both.
        "Core.Bytes ->",
        "Core.Protocol -> Core.Bytes",
        "Core.Framing -> Core.Protocol",
        "Core.Crypto ->",
        "Core.Crypto.Primitives -> Core.Bytes Core.Crypto",
        "Core.Crypto.Identity -> Core.Bytes Core.Crypto Core.Crypto.Primitives",
        "Core.Crypto.Prekeys -> Core.Bytes Core.Crypto Core.Crypto.Primitives Core.Crypto.Identity",
        "Core.Crypto.Ratchet -> Core.Bytes Core.Crypto Core.Crypto.Primitives Core.Crypto.Identity Core.Crypto.Prekeys",
        "Core.Crypto.Groups -> Core.Bytes Core.Crypto Core.Crypto.Primitives",
        "Core.Crypto.Handshake -> Core.Bytes Core.Crypto Core.Crypto.Primitives Core.Crypto.Identity",
        "Core.Crypto.Vault -> Core.Bytes Core.Crypto Core.Crypto.Primitives",
        "Core.Transport -> Core.Bytes Core.Crypto.Primitives",
        "Core.Links -> Core.Protocol Core.Crypto.* Core.Transport Core.Payloads",
        "Core.Links.Paths -> Core.Nat",
        "Core.Links.Checks -> Core.Links.Paths Core.Nat Core.Transport",
        "Core.Links.Tcp -> Core.Links.Paths Core.Transport",
        "Core.Payloads -> Core.Crypto Core.Crypto.Groups",
        "Core.Nat -> Core.Transport",
        "Core.Files -> Core.Bytes Core.Protocol Core.Crypto.Primitives",
        "Core.Files.Disk -> Core.Files",
        "Core.Files.Sessions -> Core.Files Core.Files.Disk Core.Links Core.Transport Core.Payloads",
        "Core.Unicode ->",
        "Core.Rooms -> Core.Bytes Core.Protocol Core.Crypto Core.Crypto.Primitives Core.Crypto.Identity Core.Crypto.Groups Core.Payloads",
        "Core.Rooms.Games -> Core.Rooms",

        // Rendezvous: hosting composes the network, which drives sessions and commands, which use the store.
        "Rendezvous.Configuration -> Core.Crypto.Primitives Rendezvous.Storage",
        "Rendezvous.Relations -> Rendezvous.Storage",
        "Rendezvous.Stun -> Core.Nat Core.Transport Rendezvous.Configuration",
        "Rendezvous.Validation -> Core.Unicode",
        "Rendezvous.Security ->",
        "Rendezvous.Accounts -> Core.Crypto.Primitives",
        "Rendezvous.Flood ->",
        "Rendezvous.Storage -> Core.Unicode Rendezvous.Accounts",
        "Rendezvous.Sessions -> Core.Protocol Core.Framing",
        "Rendezvous.Links -> Core.Protocol Rendezvous.Configuration Rendezvous.Relations Rendezvous.Sessions Rendezvous.Stun",
        "Rendezvous.Commands -> Core.Protocol Core.Crypto.Primitives Core.Unicode Rendezvous.Configuration Rendezvous.Validation Rendezvous.Accounts Rendezvous.Flood Rendezvous.Storage Rendezvous.Relations Rendezvous.Sessions Rendezvous.Links",
        "Rendezvous.Tls ->",
        "Rendezvous.Network -> Core.Protocol Core.Framing Rendezvous.Configuration Rendezvous.Security Rendezvous.Storage Rendezvous.Sessions Rendezvous.Commands Rendezvous.Tls",
        "Rendezvous.Hosting -> Core.Framing Rendezvous.Configuration Rendezvous.Security Rendezvous.Storage Rendezvous.Network Rendezvous.Stun",
        "Rendezvous -> Core.* Rendezvous.*",

        // Peer: events below everything; storage, encryption and the server connection above them (siblings: the
        // connection knows no encryption); routing on both; the chat session (the one facade commands call) on routing;
        // commands on the session; feature services (Nat) on commands; the composition (Hosting) on them; front ends
        // (Headless, Tui) on top; Program picks one.
        "Peer.Events -> Core.Protocol",
        "Peer.Profile -> Peer.Events",
        "Peer.History -> Peer.Events",
        "Peer.E2e -> Core.Bytes Core.Protocol Core.Crypto.* Core.Payloads Peer.Events",
        "Peer.Server -> Core.Protocol Core.Framing Peer.Events",
        "Peer.Routing -> Core.Protocol Core.Crypto Core.Payloads Peer.Events Peer.E2e Peer.Server",
        "Peer.Session -> Core.Protocol Core.Payloads Peer.Events Peer.E2e Peer.Server Peer.Routing",
        "Peer.Commands -> Core.Protocol Peer.Events Peer.Session",
        "Peer.Nat -> Core.Nat Core.Transport Peer.Events Peer.Server Peer.Commands",
        "Peer.Files -> Core.Bytes Core.Protocol Core.Files Core.Files.Disk Core.Files.Sessions Core.Links Core.Payloads Core.Transport Peer.Events Peer.Commands",
        "Peer.Rooms -> Core.Bytes Core.Protocol Core.Crypto Core.Crypto.Identity Core.Crypto.Groups Core.Links Core.Transport Core.Payloads Core.Rooms Core.Rooms.Games Peer.Events Peer.E2e Peer.Server Peer.Session Peer.Commands",
        "Peer.Links -> Core.Protocol Core.Crypto.* Core.Links.* Core.Payloads Core.Transport Core.Nat Peer.Events Peer.E2e Peer.Server Peer.Routing Peer.Session Peer.Commands Peer.Nat",
        "Peer.Hosting -> Core.Protocol Core.Framing Core.Nat Core.Links Core.Rooms Core.Crypto.Identity Peer.Events Peer.Profile Peer.History Peer.E2e Peer.Server Peer.Routing Peer.Session Peer.Commands Peer.Nat Peer.Links Peer.Files Peer.Rooms",
        "Peer.Headless -> Core.Protocol Peer.Events Peer.Profile Peer.Server Peer.Commands Peer.Hosting",
        "Peer.Tui.Text -> Core.Unicode",
        "Peer.Tui.State -> Core.Protocol Peer.Tui.Text",
        "Peer.Tui.Terminal -> Peer.Tui.State",
        "Peer.Tui.Input -> Peer.Tui.Text Peer.Tui.State",
        "Peer.Tui.Widgets -> Peer.Tui.Text Peer.Tui.State",
        "Peer.Tui.Setup -> Peer.Tui.Text Peer.Tui.Terminal Peer.Tui.Widgets",
        "Peer.Tui.Screen -> Peer.Tui.Text Peer.Tui.State Peer.Tui.Input Peer.Tui.Widgets",
        "Peer.Tui -> Peer.Tui.Text Peer.Tui.State Peer.Tui.Terminal Peer.Tui.Widgets Peer.Tui.Screen",
        "Peer.Tui.Demo -> Peer.Tui.State Peer.Tui",
        "Peer.Tui.Binding -> Core.Protocol Core.Nat Peer.Nat Peer.Events Peer.Profile Peer.History Peer.Server Peer.Session Peer.Commands Peer.Hosting Peer.Links Peer.Files Peer.Rooms Peer.Tui.*",
        "Peer -> Core.* Peer.*",
    ];

    /// <summary>Edges that break the layering today (none since the peer split); a new one needs a reason and a plan to remove it.</summary>
    public static readonly (string From, string To, string Why)[] KnownDebts =
    [
    ];

    /// <summary>The module a namespace belongs to (the P2PChat prefix removed; a few namespaces merged).</summary>
    public static string ModuleOf(string ns)
    {
        var name = ns.StartsWith("P2PChat.", StringComparison.Ordinal) ? ns["P2PChat.".Length..] : ns;
        foreach (var merged in MergedModules)
            if (name == merged || name.StartsWith(merged + ".", StringComparison.Ordinal)) return merged;
        return name;
    }

    /// <summary>
    /// Namespaces whose children count as the module itself: the protocol and its frame records; the transport and
    /// its wire, recovery, stream, socket, protection and TCP parts (one state machine split by concern); NAT discovery
    /// with its STUN and port-mapping leaves; the store and its migrations.
    /// </summary>
    private static readonly string[] MergedModules = ["Core.Protocol", "Core.Transport", "Core.Nat", "Rendezvous.Storage"];

    public static IReadOnlyDictionary<string, string[]> Allowed { get; } = Lines.ToDictionary(
        line => line.Split("->")[0].Trim(),
        line => line.Split("->")[1].Split(' ', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Whether <paramref name="from"/> may use <paramref name="to"/> according to <see cref="Lines"/>.</summary>
    public static bool Allows(string from, string to) =>
        Allowed.TryGetValue(from, out var targets) && targets.Any(t => Matches(t, to));

    private static bool Matches(string pattern, string module) => pattern.EndsWith(".*", StringComparison.Ordinal)
        ? module == pattern[..^2] || module.StartsWith(pattern[..^1], StringComparison.Ordinal)
        : module == pattern;
}

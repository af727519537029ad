// The command-line switches of p2pchat-rendezvous and the configuration keys they set.
using P2PChat.Rendezvous.Configuration;

namespace P2PChat.Rendezvous.Hosting;

public static class CommandLineSwitches
{
    private const string S = RendezvousOptions.Section + ":";

    /// <summary>Switch → configuration key, for <c>AddCommandLine</c>.</summary>
    public static readonly IReadOnlyDictionary<string, string> Map = new Dictionary<string, string>
    {
        ["--listen"] = S + nameof(RendezvousOptions.Listen),
        ["--data"] = S + nameof(RendezvousOptions.DataDirectory),
        ["--admins"] = S + nameof(RendezvousOptions.Admins),
        ["--max-frame"] = S + nameof(RendezvousOptions.MaxFrameSize),
        ["--heartbeat-timeout"] = S + nameof(RendezvousOptions.HeartbeatTimeoutSeconds),
        ["--heartbeat-interval"] = S + nameof(RendezvousOptions.HeartbeatIntervalSeconds),
        ["--max-connections"] = S + nameof(RendezvousOptions.MaxConnectionsPerAddress),
        ["--password-memory-kib"] = S + nameof(RendezvousOptions.PasswordMemoryKib),
        ["--password-passes"] = S + nameof(RendezvousOptions.PasswordPasses),
        ["--stun"] = S + nameof(RendezvousOptions.Stun),
        ["--relay"] = S + nameof(RendezvousOptions.Relay),
        ["--relay-packets"] = S + nameof(RendezvousOptions.RelayPacketsPerSecond),
        ["--relay-bytes"] = S + nameof(RendezvousOptions.RelayBytesPerSecond),
    };
}

// The settings of one run of p2pchat, as the command line (or the first-run dialog) produced them.
using P2PChat.Peer.Server;

namespace P2PChat.Peer.Hosting;

/// <summary>Settings of one run of p2pchat, checked. Server is null only for the TUI's first run (it asks).</summary>
public sealed record PeerSettings(
    bool Headless, ServerAddress? Server, string ProfileFolder, string? ServerFingerprint, string? Login, string? Password,
    bool RegisterIfMissing = false, IReadOnlyList<ServerAddress>? Stun = null, bool PortMapping = true,
    TimeSpan? PortMappingLifetime = null, string? PortMappingProtocol = null, bool LoopbackLinksOnly = false,
    bool DirectLinks = true)
{
    /// <summary>Where accepted files go unless /accept names a folder; null: PROFILE/downloads.</summary>
    public string? DownloadFolder { get; init; }

    /// <summary>Also check TCP paths beside UDP (on by default; <c>--tcp-links false</c>: UDP only).</summary>
    public bool TcpLinks { get; init; } = true;

    /// <summary>Cap on file sending in bytes per second (--file-send-rate); null: none.</summary>
    public long? FileSendRate { get; init; }

    public string DownloadFolderOrDefault => DownloadFolder ?? Path.Combine(ProfileFolder, "downloads");
}

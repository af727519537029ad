// Settings of a ServerConnection: which server, how to trust it, and the injectable connector and clock.
namespace P2PChat.Peer.Server;

public sealed record ServerConnectionOptions(ServerAddress Server)
{
    /// <summary>The pinned fingerprint (from the profile) and the one given with --server-fingerprint.</summary>
    public ServerPin Pin { get; init; } = new(null, null);
    public IServerConnector Connector { get; init; } = new TlsServerConnector();
    public TimeProvider Time { get; init; } = TimeProvider.System;
    /// <summary>Sent in HELLO.</summary>
    public string ClientName { get; init; } = "p2pchat";
    /// <summary>How long to wait for HELLO's answer and for RESOLVE, and for the server to close after QUIT.</summary>
    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>How the client comes back by itself after losing the server.</summary>
    public ReconnectPolicy Reconnect { get; init; } = new();
    /// <summary>
    /// After a password sign-in, ask the server for a resumption ticket bound to this client (TICKET), and reconnect with
    /// it (RESUME) so that a reconnect costs the server no password hash. The p2pchat executable turns it on; off by
    /// default so that scripted test servers see only the frames they expect.
    /// </summary>
    public bool ResumptionTickets { get; init; }
}

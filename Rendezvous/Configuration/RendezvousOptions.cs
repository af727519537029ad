// Every setting of the rendezvous server, bound from appsettings.json ("Rendezvous" section) and the command line.
namespace P2PChat.Rendezvous.Configuration;

/// <summary>
/// Server settings with their defaults. Durations are whole seconds so that command-line values such as
/// <c>--heartbeat-timeout 30</c> mean what they say.
/// </summary>
public sealed class RendezvousOptions
{
    public const string Section = "Rendezvous";

    /// <summary>HOST:PORT to listen on; port 0 picks a free port (the bound one is logged).</summary>
    public string Listen { get; set; } = "127.0.0.1:7777";

    /// <summary>Folder holding the database and the TLS certificate; created if missing.</summary>
    public string DataDirectory { get; set; } = "./rendezvous-data";

    /// <summary>Comma-separated usernames that are admins besides the first account ever registered.</summary>
    public string Admins { get; set; } = "";

    /// <summary>Name sent in HELLO.</summary>
    public string ServerName { get; set; } = "p2pchat-rendezvous";

    /// <summary>Largest frame accepted or sent (length field: opcode + payload).</summary>
    public int MaxFrameSize { get; set; } = 64 * 1024;

    /// <summary>How often clients should PING when otherwise silent (sent in HELLO).</summary>
    public int HeartbeatIntervalSeconds { get; set; } = 10;

    /// <summary>A connection that sends nothing for this long is closed with STATUS 33.</summary>
    public int HeartbeatTimeoutSeconds { get; set; } = 30;

    /// <summary>PBKDF2-HMAC-SHA256 iterations for new password hashes.</summary>
    public int PasswordIterations { get; set; } = Accounts.PasswordHasher.DefaultIterations;

    /// <summary>Consecutive failed sign-ins from one address before it is blocked.</summary>
    public int MaxFailedLogins { get; set; } = 5;

    /// <summary>How long an address stays blocked after too many failed sign-ins.</summary>
    public int LoginBlockSeconds { get; set; } = 7 * 60;

    /// <summary>Commands a user may send within <see cref="CommandWindowSeconds"/>; one more starts the penalty.</summary>
    public int MaxCommandsPerWindow { get; set; } = 10;

    public int CommandWindowSeconds { get; set; } = 5;

    /// <summary>How long a flooding user's commands are refused.</summary>
    public int CommandPenaltySeconds { get; set; } = 60;

    /// <summary>Open connections allowed from one IP address.</summary>
    public int MaxConnectionsPerAddress { get; set; } = 8;

    /// <summary>Frames that may wait for one slow client before its session is dropped.</summary>
    public int SendQueueCapacity { get; set; } = 4096;

    /// <summary>Largest MSG data in bytes (STATUS 28 beyond).</summary>
    public int MaxMessageBytes { get; set; } = 16 * 1024;

    /// <summary>Time allowed for the TLS handshake and HELLO of a new connection.</summary>
    public int HandshakeTimeoutSeconds { get; set; } = 15;

    public IReadOnlySet<string> AdminNames() =>
        Admins.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
}

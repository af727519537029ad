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

    /// <summary>
    /// UDP endpoints answering STUN Binding requests (docs/server.md): "auto" = the listen address on UDP ports P and
    /// P+1 (P = the TCP port), "off", or a comma-separated list of HOST:PORT.
    /// </summary>
    public string Stun { get; set; } = "auto";

    /// <summary>Name sent in HELLO.</summary>
    public string ServerName { get; set; } = "p2pchat-rendezvous";

    /// <summary>Largest frame accepted or sent (length field: opcode + payload).</summary>
    public int MaxFrameSize { get; set; } = 64 * 1024;

    /// <summary>How often clients should PING when otherwise silent (sent in HELLO).</summary>
    public int HeartbeatIntervalSeconds { get; set; } = 10;

    /// <summary>A connection that sends nothing for this long is closed with STATUS 33.</summary>
    public int HeartbeatTimeoutSeconds { get; set; } = 30;

    /// <summary>Argon2id memory (KiB) for new password hashes; default OWASP's 19 MiB (docs/security.md, "Passwords on the server").</summary>
    public int PasswordMemoryKib { get; set; } = Core.Crypto.Primitives.Argon2Settings.Default.MemoryKib;

    /// <summary>Argon2id passes (t) for new password hashes; default 2.</summary>
    public int PasswordPasses { get; set; } = Core.Crypto.Primitives.Argon2Settings.Default.Passes;

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

    /// <summary>Time allowed for a new connection's first bytes (the TLS ClientHello) after accept, and again for the
    /// TLS handshake once the server starts it (a connection may wait in the handshake queue in between).</summary>
    public int HandshakeTimeoutSeconds { get; set; } = 15;

    /// <summary>TLS handshakes the server runs at once; more wait in arrival order. A burst of thousands is then served
    /// a few dozen at a time, each in milliseconds, instead of all at once, each finishing only near the end.</summary>
    public int MaxConcurrentHandshakes { get; set; } = 64;

    /// <summary>The listening socket's accept queue (the kernel caps it at net.core.somaxconn).</summary>
    public int ListenBacklog { get; set; } = 4096;

    // ---- pre-authentication (issue 13): connections that have not signed in yet ----

    /// <summary>Connections from one IP address that have not signed in yet (from TCP accept); more are closed before TLS.</summary>
    public int MaxUnauthenticatedPerAddress { get; set; } = 16;

    /// <summary>Connections on the whole server that have not signed in yet; more are closed before TLS.</summary>
    public int MaxUnauthenticatedConnections { get; set; } = 1024;

    /// <summary>A connection not signed in this long after its TLS handshake is closed (STATUS 33, value: these seconds);
    /// time the server holds a sign-in up (a queued password hash) does not count.</summary>
    public int SignInDeadlineSeconds { get; set; } = 30;

    // ---- sign-in and sign-up cost (issue 13) ----

    /// <summary>Wrong passwords for one account (from addresses it never signed in from) before attempts are delayed.</summary>
    public int AccountFailuresBeforeDelay { get; set; } = 5;

    /// <summary>The first delay; each further failure doubles it, up to <see cref="AccountMaxDelaySeconds"/>.</summary>
    public int AccountDelayBaseSeconds { get; set; } = 2;

    public int AccountMaxDelaySeconds { get; set; } = 900;

    /// <summary>An account's failure count is forgotten after this long without a failure.</summary>
    public int AccountFailureMemorySeconds { get; set; } = 24 * 3600;

    /// <summary>How long an address stays familiar (never delayed, its failures not counted) after a sign-in from it.</summary>
    public int FamiliarAddressSeconds { get; set; } = 30 * 24 * 3600;

    /// <summary>REGISTER attempts allowed from one address within <see cref="SignUpAddressWindowSeconds"/>.</summary>
    public int MaxSignUpsPerAddress { get; set; } = 5;

    public int SignUpAddressWindowSeconds { get; set; } = 3600;

    /// <summary>REGISTER attempts allowed on the whole server within <see cref="SignUpGlobalWindowSeconds"/>.</summary>
    public int MaxSignUpsGlobal { get; set; } = 60;

    public int SignUpGlobalWindowSeconds { get; set; } = 60;

    // ---- offline queues and key directory (issue 13) ----

    /// <summary>Pending offline PMs one user may hold (STATUS 34 beyond).</summary>
    public int MaxOfflineMessagesPerRecipient { get; set; } = 10_000;

    /// <summary>Pending offline PMs one sender may hold in one recipient's queue.</summary>
    public int MaxOfflineMessagesPerSender { get; set; } = 1_000;

    /// <summary>Part of each queue kept for the recipient's friends: non-friends together hold at most the rest.</summary>
    public int OfflineFriendsReserve { get; set; } = 2_000;

    /// <summary>Offline PMs one sender may have stored per minute (each MSG_MULTI part counts); beyond: STATUS 25 for that PM.</summary>
    public int MaxOfflineStoresPerMinute { get; set; } = 600;

    /// <summary>One-time prekeys one user's bundle hands out per hour to users who are not their friends.</summary>
    public int OneTimePrekeysPerTargetPerHour { get; set; } = 10;

    /// <summary>One-time prekeys one requester may take per hour from users who are not their friends.</summary>
    public int OneTimePrekeysPerRequesterPerHour { get; set; } = 30;

    /// <summary>The store settings these options imply (the offline-queue caps), on <paramref name="time"/>.</summary>
    public Storage.SqliteStoreOptions StoreOptions(TimeProvider time) => new()
    {
        TimeProvider = time,
        MaxOfflineMessagesPerRecipient = MaxOfflineMessagesPerRecipient,
        MaxOfflineMessagesPerSender = MaxOfflineMessagesPerSender,
        OfflineFriendsReserve = OfflineFriendsReserve,
    };

    // ---- scale (issue 12): sign-in bursts, admission, tickets, memory ----

    /// <summary>With more users online than this, the sign-in burst does not list the whole general channel: it says
    /// STATUS 37 and the client pages through it with ROSTER_PAGE; deltas then reach friends, co-members and clients
    /// that listed everyone. 0 pages always.</summary>
    public int GeneralRosterPageThreshold { get; set; } = 1000;

    /// <summary>Roster deltas (cards, presence) for one client wait up to this long to be coalesced and batched, unless
    /// another frame for that client goes out first (0: no wait). Bounds the writes a sign-in storm causes per listening
    /// client to a few a second instead of one per sign-in.</summary>
    public int RosterDeltaDelayMs { get; set; } = 250;

    /// <summary>Password hashes (sign-ins, registrations) run at most this many at a time (0: one per processor).</summary>
    public int SignInConcurrency { get; set; }

    /// <summary>Sign-ins and registrations waiting for a hash slot; one more is told to retry later (STATUS 36).</summary>
    public int SignInQueueLimit { get; set; } = 64;

    /// <summary>How long a device's resumption ticket stays valid after it was issued.</summary>
    public int TicketLifetimeDays { get; set; } = 30;

    /// <summary>Relayed link packets one user may send a second (docs/nat-traversal.md, "Relay"); beyond: dropped, STATUS 50.</summary>
    public int RelayPacketsPerSecond { get; set; } = 2_000;

    /// <summary>Relayed link bytes one user may send a second; beyond: dropped, STATUS 50. Both budgets allow a burst of one second's worth.</summary>
    public int RelayBytesPerSecond { get; set; } = 1 << 20;

    /// <summary>Whether the server relays link packets at all (off: every link must be direct).</summary>
    public bool Relay { get; set; } = true;

    /// <summary>How often to look whether a burst left garbage to give back to the OS (0: never; see MemoryTrimmer).</summary>
    public int MemoryTrimSeconds { get; set; } = 30;

    /// <summary>Let OpenSSL free each connection's TLS record buffers while they are empty (SSL_MODE_RELEASE_BUFFERS; Linux; see OpenSslBufferRelease).</summary>
    public bool ReleaseTlsBuffers { get; set; } = true;

    /// <summary>Who runs TLS on accepted connections: <see cref="TlsEngine.Records"/> (OpenSSL for the handshake only, then our
    /// own record layer, no OpenSSL object per connection; falls back to SslStream with one warning where libssl.so.3
    /// cannot be used) or <see cref="TlsEngine.SslStream"/> (.NET's SslStream for everything).</summary>
    public TlsEngine TlsEngine { get; set; } = TlsEngine.Records;

    /// <summary>With the Records engine: how often idle connections drop their cipher contexts (each direction that
    /// carried no record since the last sweep; 0, the default: never, they are kept for the connection's life). Off by
    /// default: with clients that ping every 8–10 s, a 2 s sweep lowered glibc's heap in use by ~22 MB at 10,000 but
    /// raised resident memory per connection (12.2 against 9.4 KiB in one same-window pair; docs/benchmarks.md).</summary>
    public int TlsCipherSweepSeconds { get; set; }

    public IReadOnlySet<string> AdminNames() =>
        Admins.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
}

/// <summary>The server's TLS implementation (docs/server.md, "The TLS engine").</summary>
public enum TlsEngine
{
    /// <summary>OpenSSL handshake with the secrets taken out, then P2PChat.Rendezvous.Tls's record layer.</summary>
    Records,
    /// <summary>System.Net.Security.SslStream (OpenSSL under it on Linux) for the whole connection.</summary>
    SslStream,
}

// What every command handler shares: the store, the hub, the options, the clock and the flood guards.
using Microsoft.Extensions.Logging;
using P2PChat.Rendezvous.Accounts;
using P2PChat.Rendezvous.Configuration;
using P2PChat.Rendezvous.Flood;
using P2PChat.Rendezvous.Hosting;
using P2PChat.Rendezvous.Relations;
using P2PChat.Rendezvous.Sessions;
using P2PChat.Rendezvous.Storage;

namespace P2PChat.Rendezvous.Commands;

public sealed class ServerContext
{
    public ServerContext(IRendezvousStore store, RendezvousOptions options, TimeProvider time, ILogger log)
    {
        Store = store;
        Options = options;
        Time = time;
        Log = log;
        Hasher = new PasswordHasher(new Core.Crypto.Primitives.Argon2Settings(options.PasswordMemoryKib, options.PasswordPasses));
        Logins = new LoginThrottle(time, options.MaxFailedLogins, TimeSpan.FromSeconds(options.LoginBlockSeconds));
        Guesses = new AccountGuessLimiter(time, options.AccountFailuresBeforeDelay, TimeSpan.FromSeconds(options.AccountDelayBaseSeconds),
            TimeSpan.FromSeconds(options.AccountMaxDelaySeconds), TimeSpan.FromSeconds(options.AccountFailureMemorySeconds),
            TimeSpan.FromSeconds(options.FamiliarAddressSeconds));
        SignUps = new SignUpThrottle(time, options.MaxSignUpsPerAddress, TimeSpan.FromSeconds(options.SignUpAddressWindowSeconds),
            options.MaxSignUpsGlobal, TimeSpan.FromSeconds(options.SignUpGlobalWindowSeconds));
        Admission = new ConnectionAdmission(options.MaxUnauthenticatedPerAddress, options.MaxUnauthenticatedConnections,
            options.MaxConnectionsPerAddress);
        PrekeyHandouts = new PrekeyHandoutLimiter(time, options.OneTimePrekeysPerTargetPerHour, options.OneTimePrekeysPerRequesterPerHour, TimeSpan.FromHours(1));
        OfflineStores = new OfflineStoreBudget(time, options.MaxOfflineStoresPerMinute, TimeSpan.FromMinutes(1));
        // Unknown users are checked against this, with the current hasher, so that both answers take the same time.
        DummyPassword = Hasher.Hash("p2pchat: no such account");
        Commands = new CommandRateLimiter(time, options.MaxCommandsPerWindow,
            TimeSpan.FromSeconds(options.CommandWindowSeconds), TimeSpan.FromSeconds(options.CommandPenaltySeconds));
        MessageIds = new MessageIdSource(time);
        KeyRequests = new CommandRateLimiter(time, options.MaxCommandsPerWindow * KeyRequestsPerCommand,
            TimeSpan.FromSeconds(options.CommandWindowSeconds), TimeSpan.FromSeconds(options.CommandPenaltySeconds));
        ConfiguredAdmins = options.AdminNames();
        Ignores = new IgnoreLists(store);
        Channels = new ChannelRosters(store);
        Counters = new ServerCounters(time);
        HashQueue = new SignInAdmission(options.SignInConcurrency, options.SignInQueueLimit, Counters);
        Roster = new RosterFanOut(this);
    }

    public IRendezvousStore Store { get; }
    public RendezvousOptions Options { get; }
    public TimeProvider Time { get; }
    public ILogger Log { get; }
    /// <summary>Signed-in users: the only way commands find, deliver to and broadcast to sessions.</summary>
    public ISessionDirectory Sessions { get; } = new SessionHub();
    public PasswordHasher Hasher { get; }
    /// <summary>Ignore lists of signed-in users (memory, written through): the live PM path never queries the store.</summary>
    public IgnoreLists Ignores { get; }
    /// <summary>Channels and their members (memory, refreshed after each change).</summary>
    public ChannelRosters Channels { get; }
    /// <summary>Admits password hashes a few at a time; the rest are told to retry later.</summary>
    public SignInAdmission HashQueue { get; }
    /// <summary>Connection, sign-in and close counters (logged when the server stops).</summary>
    public ServerCounters Counters { get; }
    /// <summary>Who hears about a user's sign-in, sign-off, presence and card changes.</summary>
    public RosterFanOut Roster { get; }
    public LoginThrottle Logins { get; }
    public AccountGuessLimiter Guesses { get; }
    public SignUpThrottle SignUps { get; }
    public OfflineStoreBudget OfflineStores { get; }
    public PrekeyHandoutLimiter PrekeyHandouts { get; }
    /// <summary>Connection slots: unauthenticated (checked before TLS) and signed-in per address.</summary>
    public ConnectionAdmission Admission { get; }
    public PasswordHash DummyPassword { get; }
    public CommandRateLimiter Commands { get; }
    public MessageIdSource MessageIds { get; }
    /// <summary>
    /// PREKEYS and BUNDLE are sent by the peer itself (one BUNDLE per new contact, e.g. per member when it first writes to
    /// an invite-only channel), so they have their own, larger budget: ten times the command limit.
    /// </summary>
    public CommandRateLimiter KeyRequests { get; }
    public const int KeyRequestsPerCommand = 10;
    public IReadOnlySet<string> ConfiguredAdmins { get; }

    public DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>The first account ever registered (flagged by the store) and those named in the Admins setting.</summary>
    public bool IsAdmin(Account account) => account.IsAdmin || ConfiguredAdmins.Contains(account.Username);

    /// <summary>ADD for <paramref name="userTag"/> as <paramref name="recipient"/> should see it; null if no such user.</summary>
    public async Task<Core.Protocol.Frames.AddUser?> DescribeUserAsync(uint userTag, Session recipient, CancellationToken ct)
    {
        if (Sessions.Find(userTag)?.User is { } live) return Describe.User(live, recipient);
        return await Store.FindAccountByTagAsync(userTag, ct) is { } a ? Describe.Offline(a, IsAdmin(a), recipient) : null;
    }
}

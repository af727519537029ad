// What every command handler shares: the store, the hub, the options, the clock and the flood guards.
using Microsoft.Extensions.Logging;
using P2PChat.Rendezvous.Accounts;
using P2PChat.Rendezvous.Configuration;
using P2PChat.Rendezvous.Flood;
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
        Hasher = new PasswordHasher(options.PasswordIterations);
        Logins = new LoginThrottle(time, options.MaxFailedLogins, TimeSpan.FromSeconds(options.LoginBlockSeconds));
        Commands = new CommandRateLimiter(time, options.MaxCommandsPerWindow,
            TimeSpan.FromSeconds(options.CommandWindowSeconds), TimeSpan.FromSeconds(options.CommandPenaltySeconds));
        MessageIds = new MessageIdSource(time);
        KeyRequests = new CommandRateLimiter(time, options.MaxCommandsPerWindow * KeyRequestsPerCommand,
            TimeSpan.FromSeconds(options.CommandWindowSeconds), TimeSpan.FromSeconds(options.CommandPenaltySeconds));
        ConfiguredAdmins = options.AdminNames();
    }

    public IRendezvousStore Store { get; }
    public RendezvousOptions Options { get; }
    public TimeProvider Time { get; }
    public ILogger Log { get; }
    public SessionHub Hub { get; } = new();
    public PasswordHasher Hasher { get; }
    public LoginThrottle Logins { get; }
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
        if (Hub.Find(userTag)?.User is { } live) return Describe.User(live, recipient);
        return await Store.FindAccountByTagAsync(userTag, ct) is { } a ? Describe.Offline(a, IsAdmin(a), recipient) : null;
    }
}

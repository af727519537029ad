// Test base: opens a real SQLite store in a temp folder with a manual clock, and registers users cheaply.
using P2PChat.TestSupport;
using P2PChat.Rendezvous.Accounts;
using P2PChat.Rendezvous.Storage;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Storage;

public abstract class StoreTestBase : IAsyncLifetime
{
    /// <summary>A low iteration count keeps tests fast; the store does not care how strong a hash is.</summary>
    internal static readonly PasswordHash TestPassword = new PasswordHasher(new P2PChat.Core.Crypto.Primitives.Argon2Settings(64, 1)).Hash("correct horse");

    internal static readonly DateTimeOffset Start = new(2026, 11, 21, 6, 0, 0, TimeSpan.Zero);

    internal TempDirectory Folder { get; } = new();

    internal ManualTimeProvider Clock { get; } = new(Start);

    internal SqliteRendezvousStore Store { get; set; } = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal SqliteStoreOptions Options => new() { TimeProvider = Clock, MaxOfflineMessagesPerRecipient = 5 };

    public virtual async ValueTask InitializeAsync() => Store = await SqliteRendezvousStore.OpenAsync(Folder.Path, Options, Ct);

    public virtual async ValueTask DisposeAsync()
    {
        if (Store is not null)
        {
            await Store.DisposeAsync();
        }
        Folder.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Closes and reopens the store on the same folder, as a server restart would.</summary>
    internal async Task ReopenAsync()
    {
        await Store.DisposeAsync();
        Store = await SqliteRendezvousStore.OpenAsync(Folder.Path, Options, Ct);
    }

    internal async Task<uint> RegisterAsync(string username)
    {
        var result = await Store.RegisterAccountAsync(new NewAccount(username, TestPassword), Ct);
        Assert.Equal(RegistrationOutcome.Registered, result.Outcome);
        return result.Account!.Tag;
    }
}

// Tests of atomicity under concurrency: same-name registrations, first admin, one-time prekey takes — also across two store instances on one file.
using P2PChat.Rendezvous.Storage;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Storage;

public sealed class SqliteRendezvousStoreConcurrencyTests : StoreTestBase
{
    private SqliteRendezvousStore _second = null!;

    /// <summary>A second, independent store on the same file: its writes are serialised by SQLite's locks, not by our in-process lock.</summary>
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _second = await SqliteRendezvousStore.OpenAsync(Folder.Path, Options, Ct);
    }

    public override async ValueTask DisposeAsync()
    {
        await _second.DisposeAsync();
        await base.DisposeAsync();
    }

    /// <summary>Starts <paramref name="count"/> operations on pool threads at once, alternating between the two stores.</summary>
    private async Task<T[]> RaceAsync<T>(int count, Func<IRendezvousStore, int, Task<T>> operation)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, count)
            .Select(i => Task.Run(async () =>
            {
                await gate.Task;
                return await operation(i % 2 == 0 ? Store : _second, i);
            }, Ct))
            .ToArray();
        gate.SetResult();
        return await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(60), Ct);
    }

    [Fact]
    public async Task Parallel_registrations_of_one_name_have_exactly_one_winner()
    {
        var results = await RaceAsync(24, (store, i) => store.RegisterAccountAsync(new NewAccount(i % 3 == 0 ? "SAME" : "same", TestPassword), Ct));

        Assert.Single(results, r => r.Outcome == RegistrationOutcome.Registered);
        Assert.Equal(23, results.Count(r => r.Outcome == RegistrationOutcome.UsernameTaken));
    }

    [Fact]
    public async Task Exactly_one_of_parallel_first_registrations_is_admin()
    {
        var results = await RaceAsync(24, (store, i) => store.RegisterAccountAsync(new NewAccount($"user{i}", TestPassword), Ct));

        Assert.All(results, r => Assert.Equal(RegistrationOutcome.Registered, r.Outcome));
        Assert.Single(results, r => r.Account!.IsAdmin);
        Assert.Equal(Enumerable.Range(1, 24).Select(n => 0x8000_0000u | (uint)n), results.Select(r => r.Account!.Tag).Order());
    }

    [Fact]
    public async Task Each_one_time_prekey_is_taken_once_under_parallel_takes()
    {
        var alice = await RegisterAsync("alice");
        var prekeys = Enumerable.Range(0, 40).Select(i => (ReadOnlyMemory<byte>)BitConverter.GetBytes(i)).ToArray();
        await Store.AddOneTimePrekeysAsync(alice, prekeys, Ct);

        var taken = await RaceAsync(80, (store, _) => store.TakeOneTimePrekeyAsync(alice, Ct));

        var values = taken.Where(t => t is not null).Select(t => BitConverter.ToInt32(t!.Value.Span)).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, 40), values);
        Assert.Equal(40, taken.Count(t => t is null));
        Assert.Equal(0, await _second.CountOneTimePrekeysAsync(alice, Ct));
    }

    [Fact]
    public async Task Concurrent_reads_see_ordered_committed_prefixes_while_writes_go_on()
    {
        var alice = await RegisterAsync("alice");
        var bob = await RegisterAsync("bob");

        var results = await RaceAsync(20, async (store, i) => i % 2 == 0
            ? (Stored: (await store.AppendOfflineMessageAsync(new NewOfflineMessage(alice, bob, bob, Start, 0, new byte[] { (byte)i }), Ct)).Outcome == AppendOutcome.Stored,
               Seen: Array.Empty<long>())
            : (Stored: false, Seen: (await store.FetchOfflineMessagesAsync(bob, 0, 100, Ct)).Select(m => m.Id).ToArray()));

        Assert.Equal(5, results.Count(r => r.Stored)); // the options cap bob's queue at 5
        var final = (await Store.FetchOfflineMessagesAsync(bob, 0, 100, Ct)).Select(m => m.Id).ToArray();
        Assert.Equal(5, final.Length);
        Assert.All(results, r => Assert.Equal(final.Take(r.Seen.Length), r.Seen));
    }
}

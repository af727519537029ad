// Tests of account storage: registration, tags, first admin, uniqueness, lookups, profile, password, ban, last seen.
using P2PChat.Rendezvous.Accounts;
using P2PChat.Rendezvous.Storage;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Storage;

public sealed class SqliteRendezvousStoreAccountsTests : StoreTestBase
{
    [Fact]
    public async Task Register_allocates_user_tags_from_0x80000001_and_defaults_nickname()
    {
        var alice = await Store.RegisterAccountAsync(new NewAccount("alice", TestPassword), Ct);
        var bob = await Store.RegisterAccountAsync(new NewAccount("bob", TestPassword), Ct);

        Assert.Equal(0x8000_0001u, alice.Account!.Tag);
        Assert.Equal(0x8000_0002u, bob.Account!.Tag);
        Assert.Equal("alice", alice.Account.Profile.Nickname);
        Assert.Equal(Start, alice.Account.CreatedAt);
        Assert.Null(alice.Account.Ban);
        Assert.Null(alice.Account.LastSeen);
        Assert.Null(alice.Account.IdentityKey);
    }

    [Fact]
    public async Task Only_the_first_account_is_admin()
    {
        var first = await Store.RegisterAccountAsync(new NewAccount("root", TestPassword), Ct);
        var second = await Store.RegisterAccountAsync(new NewAccount("user", TestPassword), Ct);

        Assert.True(first.Account!.IsAdmin);
        Assert.False(second.Account!.IsAdmin);
    }

    [Fact]
    public async Task Username_taken_is_a_result_and_case_insensitive()
    {
        await RegisterAsync("Alice");

        var again = await Store.RegisterAccountAsync(new NewAccount("aLICE", TestPassword), Ct);

        Assert.Equal(RegistrationOutcome.UsernameTaken, again.Outcome);
        Assert.Null(again.Account);
    }

    [Fact]
    public async Task Stored_account_round_trips_every_field()
    {
        var profile = new AccountProfile("Al", "al@example.org", "Alice Liddell", new DateOnly(1852, 5, 4), "f", "Oxford");
        var registered = await Store.RegisterAccountAsync(new NewAccount("alice", TestPassword, profile), Ct);

        var byName = await Store.FindAccountByUsernameAsync("ALICE", Ct);
        var byTag = await Store.FindAccountByTagAsync(registered.Account!.Tag, Ct);

        Assert.NotNull(byName);
        Assert.Equal(profile, byName.Profile);
        Assert.Equal("alice", byName.Username);
        Assert.Equal(TestPassword.Algorithm, byName.Password.Algorithm);
        Assert.Equal(TestPassword.Iterations, byName.Password.Iterations);
        Assert.Equal(TestPassword.Salt.ToArray(), byName.Password.Salt.ToArray());
        Assert.Equal(TestPassword.Hash.ToArray(), byName.Password.Hash.ToArray());
        Assert.True(PasswordHasher.Verify("correct horse", byName.Password));
        Assert.Equal(byName.Tag, byTag!.Tag);
        Assert.Equal(profile, byTag.Profile);
    }

    [Fact]
    public async Task Unknown_accounts_are_null()
    {
        Assert.Null(await Store.FindAccountByUsernameAsync("nobody", Ct));
        Assert.Null(await Store.FindAccountByTagAsync(0x8000_0042, Ct));
    }

    [Fact]
    public async Task Profile_update_keeps_tag_and_username()
    {
        var tag = await RegisterAsync("alice");
        var profile = new AccountProfile("Queen of Hearts", Location: "Wonderland");

        Assert.True(await Store.UpdateProfileAsync(tag, profile, Ct));
        Assert.False(await Store.UpdateProfileAsync(0x8000_0099, profile, Ct));

        var account = await Store.FindAccountByTagAsync(tag, Ct);
        Assert.Equal(profile, account!.Profile);
        Assert.Equal("alice", account.Username);
        Assert.Equal(tag, (await Store.FindAccountByUsernameAsync("alice", Ct))!.Tag);
    }

    [Fact]
    public async Task Password_can_be_replaced()
    {
        var tag = await RegisterAsync("alice");
        var replacement = new PasswordHasher(new P2PChat.Core.Crypto.Primitives.Argon2Settings(128, 2)).Hash("new secret");

        Assert.True(await Store.SetPasswordAsync(tag, replacement, Ct));

        var stored = (await Store.FindAccountByTagAsync(tag, Ct))!.Password;
        Assert.Equal(PasswordAlgorithm.Argon2id, stored.Algorithm);
        Assert.Equal(2, stored.Iterations);
        Assert.Equal(128, stored.MemoryKib);
        Assert.Equal(1, stored.Parallelism);
        Assert.True(PasswordHasher.Verify("new secret", stored));
        Assert.False(PasswordHasher.Verify("correct horse", stored));
    }

    [Fact]
    public async Task Ban_is_set_read_and_cleared()
    {
        var tag = await RegisterAsync("mallory");
        var ban = new AccountBan(Start.AddDays(7), "spam");

        Assert.True(await Store.SetBanAsync(tag, ban, Ct));
        Assert.Equal(ban, (await Store.FindAccountByTagAsync(tag, Ct))!.Ban);

        Assert.True(await Store.SetBanAsync(tag, null, Ct));
        Assert.Null((await Store.FindAccountByTagAsync(tag, Ct))!.Ban);
    }

    [Fact]
    public async Task Last_seen_and_identity_key_are_stored()
    {
        var tag = await RegisterAsync("alice");
        var seen = Start.AddHours(3).AddMilliseconds(123);

        Assert.True(await Store.SetLastSeenAsync(tag, seen, Ct));
        Assert.True(await Store.SetIdentityKeyAsync(tag, new byte[] { 4, 1, 2, 3 }, Ct));

        var account = await Store.FindAccountByTagAsync(tag, Ct);
        Assert.Equal(seen, account!.LastSeen);
        Assert.Equal(new byte[] { 4, 1, 2, 3 }, account.IdentityKey!.Value.ToArray());

        Assert.True(await Store.SetIdentityKeyAsync(tag, null, Ct));
        Assert.Null((await Store.FindAccountByTagAsync(tag, Ct))!.IdentityKey);
    }

    [Fact]
    public async Task Accounts_and_tags_survive_a_restart_and_tags_continue()
    {
        var alice = await RegisterAsync("alice");
        var bob = await RegisterAsync("bob");
        await Store.SetBanAsync(bob, new AccountBan(Start.AddDays(1), null), Ct);

        await ReopenAsync();

        Assert.Equal(alice, (await Store.FindAccountByUsernameAsync("alice", Ct))!.Tag);
        Assert.Equal(bob, (await Store.FindAccountByUsernameAsync("bob", Ct))!.Tag);
        Assert.NotNull((await Store.FindAccountByTagAsync(bob, Ct))!.Ban);
        Assert.True((await Store.FindAccountByTagAsync(alice, Ct))!.IsAdmin);
        var carol = await RegisterAsync("carol");
        Assert.Equal(0x8000_0003u, carol);
        Assert.False((await Store.FindAccountByTagAsync(carol, Ct))!.IsAdmin);
    }
}

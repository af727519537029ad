// Tests of ignore-list storage: add, check, list, remove, unknown users, restart.
using Xunit;

namespace P2PChat.Rendezvous.Tests.Storage;

public sealed class SqliteRendezvousStoreIgnoresTests : StoreWithUsersTestBase
{
    [Fact]
    public async Task Ignore_add_check_list_remove()
    {
        Assert.True(await Store.AddIgnoreAsync(Alice, Carol, Ct));
        Assert.True(await Store.AddIgnoreAsync(Alice, Bob, Ct));
        Assert.False(await Store.AddIgnoreAsync(Alice, Bob, Ct));

        Assert.True(await Store.IsIgnoringAsync(Alice, Bob, Ct));
        Assert.False(await Store.IsIgnoringAsync(Bob, Alice, Ct));
        Assert.Equal([Bob, Carol], await Store.ListIgnoredAsync(Alice, Ct));

        Assert.True(await Store.RemoveIgnoreAsync(Alice, Bob, Ct));
        Assert.False(await Store.RemoveIgnoreAsync(Alice, Bob, Ct));
        Assert.False(await Store.IsIgnoringAsync(Alice, Bob, Ct));
        Assert.Equal([Carol], await Store.ListIgnoredAsync(Alice, Ct));
    }

    [Fact]
    public async Task Ignoring_an_unknown_user_is_false_and_survives_restart()
    {
        Assert.False(await Store.AddIgnoreAsync(Alice, 0x8000_0100, Ct));
        await Store.AddIgnoreAsync(Bob, Alice, Ct);

        await ReopenAsync();

        Assert.True(await Store.IsIgnoringAsync(Bob, Alice, Ct));
    }
}

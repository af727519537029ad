// Tests of end-to-end key storage: signed prekey replace, one-time prekeys add/take/count, restart.
using Xunit;

namespace P2PChat.Rendezvous.Tests.Storage;

public sealed class SqliteRendezvousStorePrekeysTests : StoreWithUsersTestBase
{
    [Fact]
    public async Task Signed_prekey_is_replaced()
    {
        Assert.Null(await Store.GetSignedPrekeyAsync(Alice, Ct));
        Assert.True(await Store.SetSignedPrekeyAsync(Alice, new byte[] { 1, 2 }, Ct));
        Assert.True(await Store.SetSignedPrekeyAsync(Alice, new byte[] { 3, 4, 5 }, Ct));
        Assert.False(await Store.SetSignedPrekeyAsync(0x8000_0999, new byte[] { 1 }, Ct));

        Assert.Equal(new byte[] { 3, 4, 5 }, (await Store.GetSignedPrekeyAsync(Alice, Ct))!.Value.ToArray());
    }

    [Fact]
    public async Task One_time_prekeys_are_taken_oldest_first_once_each()
    {
        Assert.Equal(2, await Store.AddOneTimePrekeysAsync(Alice, [new byte[] { 1 }, new byte[] { 2 }], Ct));
        Assert.Equal(3, await Store.AddOneTimePrekeysAsync(Alice, [new byte[] { 3 }], Ct));
        Assert.Equal(1, await Store.AddOneTimePrekeysAsync(Bob, [new byte[] { 9 }], Ct));
        Assert.Equal(0, await Store.AddOneTimePrekeysAsync(0x8000_0999, [new byte[] { 9 }], Ct));

        await ReopenAsync();

        Assert.Equal(3, await Store.CountOneTimePrekeysAsync(Alice, Ct));
        Assert.Equal(new byte[] { 1 }, (await Store.TakeOneTimePrekeyAsync(Alice, Ct))!.Value.ToArray());
        Assert.Equal(new byte[] { 2 }, (await Store.TakeOneTimePrekeyAsync(Alice, Ct))!.Value.ToArray());
        Assert.Equal(new byte[] { 3 }, (await Store.TakeOneTimePrekeyAsync(Alice, Ct))!.Value.ToArray());
        Assert.Null(await Store.TakeOneTimePrekeyAsync(Alice, Ct));
        Assert.Equal(0, await Store.CountOneTimePrekeysAsync(Alice, Ct));
        Assert.Equal(1, await Store.CountOneTimePrekeysAsync(Bob, Ct));
    }
}

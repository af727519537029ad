// Test base: a store that already holds three registered users, alice, bob and carol.
namespace P2PChat.Rendezvous.Tests.Storage;

public abstract class StoreWithUsersTestBase : StoreTestBase
{
    internal uint Alice { get; private set; }

    internal uint Bob { get; private set; }

    internal uint Carol { get; private set; }

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        Alice = await RegisterAsync("alice");
        Bob = await RegisterAsync("bob");
        Carol = await RegisterAsync("carol");
    }
}

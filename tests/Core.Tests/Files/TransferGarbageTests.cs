// A transfer's garbage bound: once the process has allocated the budget since the last gen0 collection, one follows.
using P2PChat.Core.Files.Sessions;
using Xunit;

namespace P2PChat.Core.Tests.Files;

public sealed class TransferGarbageTests
{
    [Fact]
    public void A_gen0_collection_follows_once_the_budget_was_allocated()
    {
        // Counted before the first call: a collection between the two calls that this one did not see (another test's,
        // or the runtime's) makes the second call only start counting again, and it failed the test once in CI when
        // `before` was read after the first call. Any collection from here on is one the assertion accepts.
        var before = GC.CollectionCount(0);
        TransferGarbage.Bound(); // counts from here (or collects, if the budget was already spent)
        for (long made = 0; made <= TransferGarbage.Budget; made += 16 * 1024)
            GC.KeepAlive(new byte[16 * 1024]);

        TransferGarbage.Bound();

        Assert.True(GC.CollectionCount(0) > before, "no gen0 collection after the budget was allocated");
    }
}

// A transfer's garbage bound: once the process has allocated the budget since the last gen0 collection, one follows.
using P2PChat.Core.Files.Sessions;
using Xunit;

namespace P2PChat.Core.Tests.Files;

public sealed class TransferGarbageTests
{
    [Fact]
    public void A_gen0_collection_follows_once_the_budget_was_allocated()
    {
        TransferGarbage.Bound(); // counts from here (or collects, if the budget was already spent)
        var before = GC.CollectionCount(0);
        for (long made = 0; made <= TransferGarbage.Budget; made += 16 * 1024)
            GC.KeepAlive(new byte[16 * 1024]);

        TransferGarbage.Bound();

        Assert.True(GC.CollectionCount(0) > before, "no gen0 collection after the budget was allocated");
    }
}

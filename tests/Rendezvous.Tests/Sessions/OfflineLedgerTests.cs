// Tests of the per-connection ledger of stored-message ids: wire order, not id order, decides what an ack covers.
using P2PChat.Rendezvous.Sessions;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Sessions;

public sealed class OfflineLedgerTests
{
    private static OfflineLedger With(params long[] ids)
    {
        var ledger = new OfflineLedger();
        foreach (var id in ids) ledger.Append(id);
        return ledger;
    }

    [Fact]
    public void An_ack_takes_what_was_queued_up_to_it_even_higher_ids_but_not_lower_ones_queued_later()
    {
        var ledger = With(11, 13, 10, 12);

        Assert.Equal([11, 13], ledger.TakeThrough(13).Order());
        Assert.Equal(2, ledger.Count);
        Assert.Equal([10, 12], ledger.TakeThrough(12).Order());
        Assert.Equal(0, ledger.Count);
    }

    [Fact]
    public void An_id_never_queued_or_already_taken_takes_nothing()
    {
        var ledger = With(10, 11);

        Assert.Empty(ledger.TakeThrough(99));
        Assert.Equal([10], ledger.TakeThrough(10));
        Assert.Empty(ledger.TakeThrough(10));
        Assert.Equal(1, ledger.Count);
    }

    [Fact]
    public void A_duplicate_is_covered_from_its_first_sending_and_its_later_copy_stays_until_passed()
    {
        // 10 in the burst, 12 pushed, 10 pushed again: an ack of 10 can only vouch for what preceded the first copy.
        var ledger = With(10, 12, 10, 13);

        Assert.Equal([10], ledger.TakeThrough(10));
        Assert.Equal([10, 12, 13], ledger.TakeThrough(13).Order());
        Assert.Equal(0, ledger.Count);
    }
}

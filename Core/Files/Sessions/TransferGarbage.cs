// Keeps the garbage a running transfer leaves in resident memory bounded, whatever the GC's gen0 budget.
namespace P2PChat.Core.Files.Sessions;

/// <summary>
/// Called once per chunk by the send and receive sessions: when the process has allocated <see cref="Budget"/> bytes
/// since the last gen0 collection (its own or this one's), it asks for a gen0 collection. Why: the workstation GC sizes
/// its gen0 budget from the largest CPU cache, and on a VM that reports a 260 MiB L3 (the team's) the budget is over
/// 100 MB, so a transfer's small per-packet and per-chunk garbage stood in the peer's resident memory until a gen0 GC
/// came: real peers peaked at 106-117 MB for a 1 GiB file (the goal is under 100). A gen0 collection of a transfer's
/// heap is short (little survives; the chunk buffers are pinned-heap arrays), and at the few tens of MB of garbage a
/// GiB makes it happens some ten times per GiB. The runtime's own knob (DOTNET_GCgen0size) is read from the
/// environment only, not from runtimeconfig.json (tried: no effect). Thread-safe; no I/O.
/// </summary>
public static class TransferGarbage
{
    /// <summary>Bytes allocated by the process, across all threads, after which a transfer asks for a gen0 GC.</summary>
    public const long Budget = 2L << 20;

    private static readonly Lock Gate = new();
    private static long _mark;
    private static int _collections = -1;

    /// <summary>Asks for a gen0 collection if <see cref="Budget"/> bytes were allocated since the last one.</summary>
    public static void Bound()
    {
        var allocated = GC.GetTotalAllocatedBytes(precise: false);
        lock (Gate)
        {
            var collections = GC.CollectionCount(0);
            if (collections != _collections)
            {
                // A collection happened since we last looked (or this is the first call): count from here.
                _collections = collections;
                _mark = allocated;
                return;
            }
            if (allocated - _mark < Budget) return;
        }
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
    }
}

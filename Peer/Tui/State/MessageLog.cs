// Bounded scrollback of one buffer: a growable ring of entries, oldest dropped first.
namespace P2PChat.Peer.Tui.State;

/// <summary>
/// Index 0 is the oldest retained entry, Count-1 the newest. The ring grows by doubling up to
/// <see cref="Capacity"/>, then overwrites the oldest. <see cref="TotalAppended"/> counts every append ever
/// (not prepends) so scroll positions can tell how many entries arrived since they were pinned.
/// </summary>
internal sealed class MessageLog(int capacity)
{
    private LogEntry[] _ring = new LogEntry[Math.Min(capacity, 64)];
    private int _head; // index in _ring of the oldest entry

    public int Capacity { get; } = capacity;
    public int Count { get; private set; }
    public long TotalAppended { get; private set; }

    public LogEntry this[int index] => _ring[(_head + index) % _ring.Length];

    public LogEntry? Newest => Count == 0 ? null : this[Count - 1];

    public void Append(LogEntry entry)
    {
        TotalAppended++;
        if (Count == _ring.Length && _ring.Length < Capacity) Grow(Math.Min(Capacity, _ring.Length * 2));
        if (Count == _ring.Length)
        {
            _ring[_head] = entry;
            _head = (_head + 1) % _ring.Length;
            return;
        }
        _ring[(_head + Count) % _ring.Length] = entry;
        Count++;
    }

    /// <summary>Puts older entries (oldest first) before the current ones, keeping the newest when over capacity.</summary>
    public void Prepend(IReadOnlyList<LogEntry> older)
    {
        var all = new List<LogEntry>(older.Count + Count);
        all.AddRange(older);
        for (int i = 0; i < Count; i++) all.Add(this[i]);
        int keep = Math.Min(all.Count, Capacity);
        _ring = new LogEntry[Math.Max(keep, Math.Min(Capacity, 64))];
        all.CopyTo(all.Count - keep, _ring, 0, keep);
        _head = 0;
        Count = keep;
    }

    /// <summary>Forgets every entry (what is in the history database stays there).</summary>
    public void Clear()
    {
        _ring = new LogEntry[Math.Min(Capacity, 64)];
        _head = 0;
        Count = 0;
    }

    private void Grow(int size)
    {
        var bigger = new LogEntry[size];
        for (int i = 0; i < Count; i++) bigger[i] = this[i];
        _ring = bigger;
        _head = 0;
    }
}

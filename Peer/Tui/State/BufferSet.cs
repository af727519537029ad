// The ordered set of buffers and which one is current; navigation between them.
namespace P2PChat.Peer.Tui.State;

/// <summary>
/// Order: by kind (general, channels, private, rooms), then by creation. The general buffer always exists.
/// Switching to a buffer clears its unread and highlight counts.
/// </summary>
internal sealed class BufferSet(int capacity)
{
    private readonly Dictionary<string, ChatBuffer> _byId = new(StringComparer.OrdinalIgnoreCase);
    private List<ChatBuffer>? _ordered;
    private long _created;

    public ChatBuffer Current { get; private set; } = null!;

    public BufferSet Init()
    {
        Current = GetOrAdd(BufferIds.General);
        return this;
    }

    public IReadOnlyList<ChatBuffer> Ordered =>
        _ordered ??= [.. _byId.Values.OrderBy(b => b.Kind).ThenBy(b => b.Order)];

    public ChatBuffer? Find(string id) => _byId.GetValueOrDefault(id);

    public ChatBuffer GetOrAdd(string id)
    {
        if (_byId.TryGetValue(id, out var existing)) return existing;
        var buffer = new ChatBuffer(id, BufferIds.KindOf(id), _created++, capacity);
        _byId.Add(id, buffer);
        _ordered = null;
        return buffer;
    }

    public bool Remove(string id)
    {
        if (BufferIds.KindOf(id) == BufferKind.General || !_byId.TryGetValue(id, out var buffer)) return false;
        int index = IndexOf(buffer);
        _byId.Remove(id);
        _ordered = null;
        if (Current == buffer) SwitchTo(Ordered[Math.Max(0, index - 1)]);
        return true;
    }

    public void SwitchTo(ChatBuffer buffer)
    {
        Current = buffer;
        buffer.ClearActivity();
    }

    /// <summary>Switches to the buffer at 0-based position <paramref name="index"/>, if it exists.</summary>
    public bool SwitchToIndex(int index)
    {
        if (index < 0 || index >= Ordered.Count) return false;
        SwitchTo(Ordered[index]);
        return true;
    }

    /// <summary>Moves <paramref name="step"/> buffers forward (or back), wrapping around.</summary>
    public void SwitchRelative(int step)
    {
        int n = Ordered.Count;
        SwitchTo(Ordered[(((IndexOf(Current) + step) % n) + n) % n]);
    }

    /// <summary>
    /// Goes to the next buffer after the current one (wrapping) that has highlights, or if none has, the next
    /// with unread messages. Returns false when no other buffer has activity.
    /// </summary>
    public bool SwitchToNextActivity()
    {
        var next = NextAfterCurrent(b => b.Highlights > 0) ?? NextAfterCurrent(b => b.Unread > 0);
        if (next is null) return false;
        SwitchTo(next);
        return true;
    }

    public int IndexOf(ChatBuffer buffer)
    {
        var list = Ordered;
        for (int i = 0; i < list.Count; i++)
            if (list[i] == buffer) return i;
        return -1;
    }

    private ChatBuffer? NextAfterCurrent(Func<ChatBuffer, bool> wanted)
    {
        var list = Ordered;
        int start = IndexOf(Current);
        for (int k = 1; k < list.Count; k++)
        {
            var candidate = list[(start + k) % list.Count];
            if (wanted(candidate)) return candidate;
        }
        return null;
    }
}

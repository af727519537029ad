// Read-only snapshots of the view state for completion, tests and the command layer.
namespace P2PChat.Peer.Tui.State;

public sealed partial class ChatViewState
{
    public IReadOnlyList<string> BufferIdsInOrder() { lock (Gate) return [.. Buffers.Ordered.Select(b => b.Id)]; }

    public BufferSummary? Summary(string bufferId)
    {
        lock (Gate)
        {
            if (Buffers.Find(bufferId) is not { } b) return null;
            return new(b.Id, b.Kind, b.Title, b.Unread, b.Highlights, b.Log.Count, ScrollMath.EffectiveOffset(b, Viewport.TextWidth), b.Route);
        }
    }

    /// <summary>A copy of a buffer's retained messages, oldest first.</summary>
    public IReadOnlyList<ChatMessage> Messages(string bufferId)
    {
        lock (Gate)
        {
            if (Buffers.Find(bufferId) is not { } b) return [];
            var copy = new ChatMessage[b.Log.Count];
            for (int i = 0; i < copy.Length; i++) copy[i] = b.Log[i].Message;
            return copy;
        }
    }

    /// <summary>Nicks known in the current buffer (members, the peer of a private buffer), for completion.</summary>
    public IReadOnlyList<string> NicksForCompletion()
    {
        lock (Gate)
        {
            var current = Buffers.Current;
            var nicks = new List<string>(current.Members.Keys);
            nicks.AddRange(Buffers.Ordered.Where(b => b.Kind == BufferKind.Private).Select(b => b.Id[1..]));
            return [.. nicks.Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(n => n, StringComparer.OrdinalIgnoreCase)];
        }
    }

    /// <summary>Channel ids of open channel buffers, for completion.</summary>
    public IReadOnlyList<string> ChannelsForCompletion()
    {
        lock (Gate) return [.. Buffers.Ordered.Where(b => b.Kind is BufferKind.General or BufferKind.Channel).Select(b => b.Id)];
    }
}

// Requests sent and not yet answered, so replies can be matched to the command that caused them.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;

namespace P2PChat.Peer.Server;

/// <summary>
/// A request waiting for its answer. Key: what it is about (a name, matched regardless of case), for matching success
/// frames. Reply: completed with the answering frame when someone awaits it. Silent: whoever awaits it reports a
/// refusal itself, so the refusal is not also published as an error event (successes are handled as usual).
/// Sent: the request frame itself, for success frames that must match its content, not only its name (a TOPIC is
/// answered by an ADD carrying that topic; any other ADD of the channel is not its answer).
/// </summary>
public sealed record PendingRequest(Opcode Opcode, string Command, string? Key, TaskCompletionSource<Frame>? Reply, bool Silent, Frame? Sent = null);

/// <summary>
/// Matching rules (docs/protocol.md): a MSG or MSG_MULTI is matched by its requestId (MSG_ACK, MSG_MULTI_ACK, or STATUS with value = requestId);
/// any other request by the refOpcode of the STATUS that answers it, first sent first answered; a request whose
/// success is a frame other than STATUS (CREATE → CO, CO → CO, LEAVE → LEAVE, UPD → UPD, RESOLVE → ADD, NICK → ADD)
/// is taken off by that frame. Queues are bounded so that unanswered requests cannot pile up.
/// </summary>
public sealed class PendingRequests
{
    private const int MaxPerOpcode = 64;
    private readonly object _gate = new();
    private readonly Dictionary<Opcode, LinkedList<PendingRequest>> _byOpcode = [];
    private readonly Dictionary<uint, string> _messages = [];
    private uint _nextRequestId;

    public PendingRequest Add(Opcode opcode, string command, string? key = null, bool wantsReply = false, bool silent = false, Frame? sent = null)
    {
        var request = new PendingRequest(opcode, command, key,
            wantsReply ? new TaskCompletionSource<Frame>(TaskCreationOptions.RunContinuationsAsynchronously) : null, silent, sent);
        lock (_gate)
        {
            if (!_byOpcode.TryGetValue(opcode, out var queue)) _byOpcode[opcode] = queue = new();
            queue.AddLast(request);
            if (queue.Count > MaxPerOpcode)
            {
                queue.First!.Value.Reply?.TrySetCanceled();
                queue.RemoveFirst();
            }
        }
        return request;
    }

    /// <summary>The oldest request of <paramref name="opcode"/> (the one a STATUS with that refOpcode answers).</summary>
    public PendingRequest? TakeOldest(Opcode opcode) => Take(opcode, _ => true);

    /// <summary>The oldest request of <paramref name="opcode"/> about <paramref name="key"/>.</summary>
    public PendingRequest? TakeByKey(Opcode opcode, string key) =>
        Take(opcode, r => string.Equals(r.Key, key, StringComparison.OrdinalIgnoreCase));

    /// <summary>The oldest request of <paramref name="opcode"/> about <paramref name="key"/> whose sent frame <paramref name="answers"/> accepts.</summary>
    public PendingRequest? TakeByKey(Opcode opcode, string key, Func<Frame?, bool> answers) =>
        Take(opcode, r => string.Equals(r.Key, key, StringComparison.OrdinalIgnoreCase) && answers(r.Sent));

    /// <summary>The answers still awaited (requests added with a reply) about <paramref name="key"/>, of any of <paramref name="opcodes"/>.</summary>
    public Task[] RepliesAwaited(string key, params Opcode[] opcodes)
    {
        lock (_gate)
            return [.. opcodes.Where(_byOpcode.ContainsKey).SelectMany(o => _byOpcode[o])
                .Where(r => r.Reply is not null && string.Equals(r.Key, key, StringComparison.OrdinalIgnoreCase))
                .Select(r => (Task)r.Reply!.Task)];
    }

    /// <summary>The destination recorded for end-to-end control messages (sender keys): their acknowledgement is not an event.</summary>
    public const string ControlMessage = "\0control";

    /// <summary>A new request id for a MSG to <paramref name="to"/>.</summary>
    public uint AddMessage(string to)
    {
        lock (_gate)
        {
            var id = ++_nextRequestId;
            _messages[id] = to;
            return id;
        }
    }

    /// <summary>Who the MSG with <paramref name="requestId"/> went to, and forgets it.</summary>
    public string? TakeMessage(uint requestId)
    {
        lock (_gate) return _messages.Remove(requestId, out var to) ? to : null;
    }

    /// <summary>The connection is gone: nothing will be answered any more.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            foreach (var r in _byOpcode.Values.SelectMany(q => q)) r.Reply?.TrySetCanceled();
            _byOpcode.Clear();
            _messages.Clear();
        }
    }

    private PendingRequest? Take(Opcode opcode, Func<PendingRequest, bool> match)
    {
        lock (_gate)
        {
            if (!_byOpcode.TryGetValue(opcode, out var queue)) return null;
            for (var node = queue.First; node is not null; node = node.Next)
            {
                if (!match(node.Value)) continue;
                queue.Remove(node);
                return node.Value;
            }
            return null;
        }
    }
}

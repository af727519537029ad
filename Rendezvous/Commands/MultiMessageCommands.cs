// MSG_MULTI: several PMs in one command (one flood count), answered by one MSG_MULTI_ACK listing each part's outcome.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Rendezvous.Sessions;

namespace P2PChat.Rendezvous.Commands;

/// <summary>
/// The whole frame is refused with STATUS (refOpcode MSG_MULTI, value = requestId) when it has no parts (0) or more
/// than <see cref="MsgMultiSend.MaxParts"/> (28). Otherwise every part, in order, is delivered exactly like a MSG to
/// that user (live, or stored durably before the answer; ignore rules applied per recipient, silently), and a part
/// that MSG would refuse (not a user, too large, empty, unknown user, full queue, spent offline budget) is refused
/// alone. The parts for offline recipients are stored in one transaction (all or none survive a crash), each
/// counting against the sender's offline budget. All parts share one sentAt. The answer is one MSG_MULTI_ACK with
/// an outcome per part, sent after every part was carried out.
/// </summary>
public sealed class MultiMessageCommands(ServerContext ctx)
{
    private readonly PrivateDelivery _private = new(ctx);

    public async Task SendAsync(Session s, MsgMultiSend m, CancellationToken ct)
    {
        if (m.Parts.Count == 0)
        {
            await s.ReplyAsync(StatusCode.NotEnoughData, Opcode.MsgMulti, ct, value: m.RequestId, text: "no parts");
            return;
        }
        if (m.Parts.Count > MsgMultiSend.MaxParts)
        {
            await s.ReplyAsync(StatusCode.InvalidField, Opcode.MsgMulti, ct, value: m.RequestId, text: $"n: at most {MsgMultiSend.MaxParts} parts");
            return;
        }
        var sentAt = ctx.Now.ToUnixTimeMilliseconds();
        var flags = m.Flags & MessageFlags.Encrypted;
        var outcomes = new PrivateOutcome[m.Parts.Count];
        var offline = new List<(int Index, PrivateDelivery.Pending Pm)>();
        for (var i = 0; i < m.Parts.Count; i++)
        {
            var part = m.Parts[i];
            var settled = _private.Validate(part.To, part.Data) ?? await _private.TryDeliverLiveAsync(s, part.To, part.Data, sentAt, flags, ct);
            if (settled is null) offline.Add((i, new PrivateDelivery.Pending(part.To, part.Data)));
            else outcomes[i] = settled.Value;
        }
        // Every part for an offline recipient in one transaction: after a crash the sender, never having had the
        // answer, finds either all of them stored or none (and may simply send the frame again).
        var stored = await _private.StoreAsync(s, [.. offline.Select(o => o.Pm)], sentAt, flags, ct);
        for (var j = 0; j < offline.Count; j++) outcomes[offline[j].Index] = stored[j];
        await s.SendAsync(new MsgMultiAck(m.RequestId, sentAt,
            [.. outcomes.Select((o, i) => new MsgPartOutcome(m.Parts[i].To, o.Code, o.AckFlags, o.MessageId))]), ct);
    }
}

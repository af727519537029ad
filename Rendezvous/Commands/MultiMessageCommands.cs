// MSG_MULTI: several PMs in one command (one flood count), answered by one MSG_MULTI_ACK listing each part's outcome.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Rendezvous.Sessions;

namespace P2PChat.Rendezvous.Commands;

/// <summary>
/// The whole frame is refused with STATUS (refOpcode MSG_MULTI, value = requestId) when it has no parts (0) or more
/// than <see cref="MsgMultiSend.MaxParts"/> (28). Otherwise every part, in order, is delivered exactly like a MSG to
/// that user (live, or stored durably before the answer; ignore rules applied per recipient, silently), and a part
/// that MSG would refuse (not a user, too large, empty, unknown user, full queue) is refused alone. All parts share
/// one sentAt. The answer is one MSG_MULTI_ACK with an outcome per part, sent after every part was carried out.
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
        var outcomes = new MsgPartOutcome[m.Parts.Count];
        for (var i = 0; i < m.Parts.Count; i++)
        {
            var part = m.Parts[i];
            var outcome = _private.Validate(part.To, part.Data) ?? await _private.DeliverAsync(s, part.To, part.Data, sentAt, flags, ct);
            outcomes[i] = new MsgPartOutcome(part.To, outcome.Code, outcome.AckFlags, outcome.MessageId);
        }
        await s.SendAsync(new MsgMultiAck(m.RequestId, sentAt, outcomes), ct);
    }
}

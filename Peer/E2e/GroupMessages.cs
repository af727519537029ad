// Group keys: sender keys for invite-only channels (our own, handed out inside pairwise sessions; members' to read theirs).
using P2PChat.Core.Crypto;
using P2PChat.Core.Payloads;

namespace P2PChat.Peer.E2e;

/// <summary>
/// Sending to an invite-only channel: <see cref="PrepareGroupSend"/> (who lacks our sender key, and the payload that
/// carries it), <see cref="MarkGiven"/> for each member it reached, then <see cref="EncryptGroup"/>. A member leaving
/// rekeys the channel (docs/security.md 10.3).
/// </summary>
public sealed class GroupMessages(E2eState state)
{
    /// <summary>What sending to an invite-only channel needs first: our sender key, for the members who lack it.</summary>
    public sealed record GroupSendPlan(IReadOnlyList<string> NeedKey, byte[] DistributionPayload);

    public GroupSendPlan PrepareGroupSend(uint channel, IEnumerable<string> members)
    {
        lock (state.Gate)
        {
            var keys = state.RequireOpen();
            var group = keys.Group(channel);
            var own = group.EnsureOwn();
            keys.SaveGroup(channel);
            return new GroupSendPlan([.. members.Where(m => m != state.Me && !group.GivenTo.Contains(m))],
                PmPayload.EncodeSenderKey(channel, own.CreateDistribution()));
        }
    }

    /// <summary>Our sender key for <paramref name="channel"/> reached <paramref name="member"/> (inside our pairwise session).</summary>
    public void MarkGiven(uint channel, string member)
    {
        lock (state.Gate)
        {
            var keys = state.RequireOpen();
            keys.Group(channel).GivenTo.Add(member);
            keys.SaveGroup(channel);
        }
    }

    /// <summary>A sender-key message for the channel (docs/security.md 10.3); call <see cref="PrepareGroupSend"/> first.</summary>
    public byte[] EncryptGroup(uint channel, string text)
    {
        lock (state.Gate)
        {
            var keys = state.RequireOpen();
            var group = keys.Group(channel);
            var message = group.EnsureOwn().Encrypt(group.GroupId, PmPayload.EncodeText(text));
            keys.SaveGroup(channel);
            return message;
        }
    }

    /// <summary>A member's sender-key message, or null when it was dropped (a decrypt_failed event says why).</summary>
    public DecryptedMessage? DecryptGroup(uint channel, string from, ReadOnlySpan<byte> data, ulong messageId, bool offline)
    {
        lock (state.Gate)
        {
            try
            {
                var keys = state.OpenForReading();
                var group = keys.Group(channel);
                var receiver = group.ReceiverOf(from)
                    ?? throw new CryptoProtocolException(CryptoFailure.UnknownKey, "no sender key from this member for this channel");
                var plaintext = receiver.Decrypt(group.GroupId, data);
                keys.SaveGroup(channel);
                var text = PmPayload.DecodeText(plaintext) ?? throw new CryptoProtocolException(CryptoFailure.Malformed, "not a chat message");
                return new DecryptedMessage(text, E2eState.StatusName(keys.Contacts.StatusOf(from)));
            }
            catch (Exception e) when (e is CryptoProtocolException or System.Text.DecoderFallbackException)
            {
                return state.Failed(from, e, messageId, offline);
            }
        }
    }

    /// <summary>Someone left <paramref name="channel"/> or was removed: rekey (our next message uses a new sender key); if it was us, forget it.</summary>
    public void MemberLeft(uint channel, string member)
    {
        lock (state.Gate)
        {
            if (state.Keys is not { } keys) return;
            if (member == state.Me)
            {
                keys.ForgetGroup(channel);
                return;
            }
            try
            {
                keys.Group(channel).MemberLeft(member);
                keys.SaveGroup(channel);
            }
            catch (CryptoProtocolException)
            {
                keys.ForgetGroup(channel); // a damaged file: start the channel's keys afresh
            }
        }
    }
}

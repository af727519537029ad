// End-to-end requests: encrypted PMs (fetching bundles), publishing keys after sign-in, and the trust commands.
using P2PChat.Core.Payloads;
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Peer.E2e;
using P2PChat.Peer.Events;

namespace P2PChat.Peer.Client;

/// <summary>
/// A PM goes out only end-to-end encrypted when a profile folder is set: with the session held for the contact, or a
/// new one from the contact's bundle (BUNDLE). A contact whose key changed gets nothing until /trust or /verify; then
/// the held messages go out. Invite-only channels use sender keys (see <see cref="SendGroupAsync"/>); the general channel
/// and open channels are not end-to-end encrypted (e2e: false).
/// </summary>
public sealed partial class RendezvousClient
{
    /// <summary>The largest PM text when encrypted: the envelope adds at most 296 bytes and the payload kind 1.</summary>
    public const int MaxEncryptedTextBytes = MaxMessageBytes - 512;

    private Task SendEncryptedAsync(Tag to, string text, CancellationToken ct)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(text) > MaxEncryptedTextBytes)
            throw new CommandFailedException(PeerErrorCode.BadArguments, $"an encrypted message is at most {MaxEncryptedTextBytes} bytes");
        if (to == _session.Me)
            throw new CommandFailedException(PeerErrorCode.BadArguments, "a private message to yourself has nobody to be encrypted for");
        return SendPayloadAsync(to, PmPayload.EncodeText(text), control: false, ct);
    }

    /// <summary>Encrypts a PM payload for <paramref name="to"/> and sends it; false when it was held (key changed).</summary>
    private async Task<bool> SendPayloadAsync(Tag to, byte[] payload, bool control, CancellationToken ct)
    {
        if (await EncryptPayloadAsync(to, payload, ct).ConfigureAwait(false) is not { } envelope) return false;
        var requestId = _pending.AddMessage(control ? PendingRequests.ControlMessage : Directory.NameOf(to));
        await SendAsync(new MsgSend(to, envelope, requestId, MessageFlags.Encrypted), ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>The envelope of a PM payload for <paramref name="to"/> (fetching a bundle for a new session); null when held (key changed).</summary>
    private async Task<byte[]?> EncryptPayloadAsync(Tag to, byte[] payload, CancellationToken ct)
    {
        var name = Directory.NameOf(to);
        var plan = Guarded(() => _e2e.Encrypt(name, payload));
        if (plan is EndToEnd.SendPlan.NeedsBundle)
        {
            var bundle = await FetchBundleAsync(to, name, ct).ConfigureAwait(false);
            plan = Guarded(() => _e2e.EncryptWithBundle(name, bundle, payload));
        }
        return plan is EndToEnd.SendPlan.Envelope envelope ? envelope.Bytes : null; // held: a message_held event says so
    }

    /// <summary>
    /// An invite-only channel: our sender key first goes (inside pairwise sessions) to each member who lacks it, all of
    /// them in MSG_MULTI frames that count as one command each for the server's flood rule, then the message goes once,
    /// as a sender-key message, to the channel. A member who cannot get the key is reported, not waited for.
    /// </summary>
    private async Task SendGroupAsync(Tag channel, string text, CancellationToken ct)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(text) > MaxEncryptedTextBytes)
            throw new CommandFailedException(PeerErrorCode.BadArguments, $"an encrypted message is at most {MaxEncryptedTextBytes} bytes");
        var members = Directory.Members(channel).Where(m => m != _session.Me).ToDictionary(Directory.NameOf);
        var plan = Guarded(() => _e2e.PrepareGroupSend(channel.Value, members.Keys));
        var parts = new List<MsgPart>();
        var given = new List<string>();
        foreach (var member in plan.NeedKey)
        {
            try
            {
                if (await EncryptPayloadAsync(members[member], plan.DistributionPayload, ct).ConfigureAwait(false) is not { } envelope) continue;
                parts.Add(new MsgPart(members[member], envelope));
                given.Add(member);
            }
            catch (CommandFailedException e) when (e.Code == (int)PeerErrorCode.E2eUnavailable)
            {
                _events.Publish(new ErrorEvent(e.Code, $"{member} cannot read {Directory.NameOf(channel)}: {e.Message}", "msg"));
            }
        }
        await SendFanOutAsync(parts, ct).ConfigureAwait(false);
        foreach (var member in given) _e2e.MarkGiven(channel.Value, member);
        var message = Guarded(() => _e2e.EncryptGroup(channel.Value, text));
        var requestId = _pending.AddMessage(Directory.NameOf(channel));
        await SendAsync(new MsgSend(channel, message, requestId, MessageFlags.Encrypted), ct).ConfigureAwait(false);
    }

    /// <summary>End-to-end control PMs to many users, as few MSG_MULTI frames as the limits allow (refusals come back per part).</summary>
    private async Task SendFanOutAsync(IReadOnlyList<MsgPart> parts, CancellationToken ct)
    {
        foreach (var batch in MultiMessageBatches.Split(parts))
        {
            var requestId = _pending.AddMessage(PendingRequests.ControlMessage);
            await SendAsync(new MsgMultiSend(batch, requestId, MessageFlags.Encrypted), ct).ConfigureAwait(false);
        }
    }

    /// <summary>A damaged key file (or any other refusal of the crypto layer) fails the command; nothing is sent.</summary>
    private static T Guarded<T>(Func<T> step)
    {
        try { return step(); }
        catch (Core.Crypto.CryptoProtocolException e)
        {
            throw new CommandFailedException(PeerErrorCode.E2eUnavailable, $"end-to-end encryption failed ({e.Reason}: {e.Message}); nothing was sent");
        }
    }

    /// <summary>BUNDLE: the contact's identity, signed prekey and one one-time prekey (consumed on the server).</summary>
    private async Task<Bundle> FetchBundleAsync(Tag to, string name, CancellationToken ct)
    {
        var request = _pending.Add(Opcode.Bundle, "msg", to.ToString(), wantsReply: true, silent: true);
        await SendAsync(new BundleRequest(to), ct).ConfigureAwait(false);
        return await AwaitAnswerAsync(request, _options.ReplyTimeout, $"BUNDLE {name}", ct).ConfigureAwait(false) switch
        {
            Bundle b when b.User == to => b,
            Status => throw new CommandFailedException(PeerErrorCode.E2eUnavailable,
                $"{name} has published no end-to-end keys; the message was not sent (PMs are only sent encrypted)"),
            null => throw new CommandFailedException(PeerErrorCode.NotConnected, "the connection to the server was lost"),
            var other => throw new CommandFailedException(PeerErrorCode.ProtocolError, $"unexpected answer to BUNDLE: {other.Opcode}"),
        };
    }

    public Task FingerprintAsync(CancellationToken ct)
    {
        RequireSignedIn();
        _events.Publish(new FingerprintEvent(_session.Username, _e2e.Fingerprint()));
        return Task.CompletedTask;
    }

    public async Task SafetyAsync(string username, CancellationToken ct)
    {
        RequireSignedIn();
        await ResolveUserAsync(username, ct).ConfigureAwait(false); // learns the user's key (ADD) if not known yet
        _events.Publish(_e2e.Safety(username));
    }

    public Task VerifyAsync(string username, string safetyNumber, CancellationToken ct)
    {
        RequireSignedIn();
        return ReleaseAsync(username, Guarded(() => _e2e.Verify(username, safetyNumber)), ct);
    }

    public Task TrustAsync(string username, CancellationToken ct)
    {
        RequireSignedIn();
        return ReleaseAsync(username, Guarded(() => _e2e.Trust(username)), ct);
    }

    /// <summary>Sends the messages held while the key was changed, in order, then reports the contact's key.</summary>
    private async Task ReleaseAsync(string username, IReadOnlyList<byte[]> held, CancellationToken ct)
    {
        if (held.Count > 0)
        {
            var to = await ResolveUserAsync(username, ct).ConfigureAwait(false);
            foreach (var payload in held)
                await SendPayloadAsync(to, payload, control: payload[0] != PmPayload.Text, ct).ConfigureAwait(false);
        }
        _events.Publish(_e2e.Safety(username, held.Count));
    }
}

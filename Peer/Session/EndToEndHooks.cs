// The peer's end-to-end encryption plugged into the server connection: keys at registration and sign-in, reading MSG bodies.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Peer.E2e;
using P2PChat.Peer.Events;
using P2PChat.Peer.Routing;
using P2PChat.Peer.Server;

namespace P2PChat.Peer.Session;

/// <summary>
/// Without a profile folder it behaves as <see cref="IServerHooks.PlainText"/>. With one: a PM or an invite-only channel
/// message is always encrypted, so plain text there can only be forged or downgraded and is dropped; a PM is an envelope
/// of the pairwise session, a channel message a sender-key message of its author.
/// </summary>
public sealed class EndToEndHooks(EndToEnd e2e, IEventSink events, DeliveredEnvelopes? delivered = null) : IServerHooks
{
    public byte[]? IdentityForRegistration(string username, string password) => e2e.Keys.PrepareRegistration(username, password);

    public void RegistrationFinished(bool registered) => e2e.Keys.FinishRegistration(registered);

    public void SigningIn(string username, string password) => e2e.Keys.OpenForSignIn(username, password);

    public IReadOnlyList<Frame> SignedIn(byte[] serverIdentityOfMe)
    {
        if (!e2e.Enabled) return [];
        if (e2e.Keys.OpenProblem is { } problem)
        {
            events.Publish(new ErrorEvent((int)PeerErrorCode.E2eUnavailable, problem, "login"));
            return [];
        }
        return e2e.Keys.AfterSignIn(serverIdentityOfMe);
    }

    public Frame? PrekeysLow(uint remaining, bool signedIn) => e2e.Keys.PrekeysLow(remaining, signedIn);

    public void UserAnnounced(string username, byte[] identityKey) => e2e.Contacts.ObserveAnnounced(username, identityKey);

    public void MemberLeft(Tag channel, string member) => e2e.Groups.MemberLeft(channel.Value, member);

    public ReadText? Read(IncomingMessage m)
    {
        // The same envelope by a second route (a direct link's send that fell back to the server): dropped unread.
        if (m.ToMe && m.Encrypted && delivered?.Arrived(m.From, m.Data.Span, viaLink: m.ViaLink) == false) return null;
        if (!e2e.Enabled) return IServerHooks.PlainText.Read(m);
        if (!m.Encrypted)
        {
            if (!m.ToMe && !m.ToInviteOnly) return IServerHooks.PlainText.Read(m);
            var what = m.ToMe ? "a private message" : "a message to an invite-only channel";
            events.Publish(new DecryptFailedEvent(m.From, $"{what} arrived unencrypted; dropped", m.MessageId, m.Offline));
            return null;
        }
        var decrypted = m.ToMe
            ? e2e.Pairwise.Decrypt(m.From, m.Data.Span, m.MessageId, m.Offline)
            : e2e.Groups.DecryptGroup(m.To.Value, m.From, m.Data.Span, m.MessageId, m.Offline);
        return decrypted?.Text is { } text ? new ReadText(text, decrypted.KeyStatus) : null;
    }
}

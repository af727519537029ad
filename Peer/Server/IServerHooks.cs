// What the layers above the server connection add at fixed points of the protocol: published keys and reading MSG bodies.
using System.Text;
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;

namespace P2PChat.Peer.Server;

/// <summary>
/// The server connection knows frames and the rendezvous protocol, not encryption: it calls these hooks where the
/// protocol carries keys (REGISTER, IDENTITY, PREKEYS, PREKEYS_LOW, ADD) or message bodies (MSG), and the peer
/// session's implementation (Peer/Session/EndToEndHooks) does the cryptography. All calls come from the read loop in
/// frame order, except the registration and sign-in ones, which come from the request that sends the frame.
/// <see cref="PlainText"/> is the connection without end-to-end encryption.
/// </summary>
public interface IServerHooks
{
    /// <summary>REGISTER is about to go: the identity key to publish with it (null: none).</summary>
    byte[]? IdentityForRegistration(string username, string password);
    /// <summary>The server answered REGISTER (<paramref name="registered"/>: the account was made).</summary>
    void RegistrationFinished(bool registered);
    /// <summary>IAM or RESUME is about to go: offline messages in the sign-in burst must be readable.</summary>
    void SigningIn(string username, string password);
    /// <summary>Sign-in accepted, before signed_in is published: the frames to send first (IDENTITY, PREKEYS).</summary>
    IReadOnlyList<Frame> SignedIn(byte[] serverIdentityOfMe);
    /// <summary>PREKEYS_LOW: a refill to send now, or null.</summary>
    Frame? PrekeysLow(uint remaining, bool signedIn);
    /// <summary>ADD about another user, with the identity key the server holds for them (may be empty).</summary>
    void UserAnnounced(string username, byte[] identityKey);
    /// <summary>A member left <paramref name="channel"/> or was removed (we too, when it is our name).</summary>
    void MemberLeft(Tag channel, string member);
    /// <summary>What a MSG says: the text to show, or null when it is dropped (an event says why).</summary>
    ReadText? Read(IncomingMessage message);

    /// <summary>No end-to-end encryption: nothing published, bodies are UTF-8 text.</summary>
    static IServerHooks PlainText { get; } = new PlainTextHooks();

    private sealed class PlainTextHooks : IServerHooks
    {
        public byte[]? IdentityForRegistration(string username, string password) => null;
        public void RegistrationFinished(bool registered) { }
        public void SigningIn(string username, string password) { }
        public IReadOnlyList<Frame> SignedIn(byte[] serverIdentityOfMe) => [];
        public Frame? PrekeysLow(uint remaining, bool signedIn) => null;
        public void UserAnnounced(string username, byte[] identityKey) { }
        public void MemberLeft(Tag channel, string member) { }
        public ReadText? Read(IncomingMessage message) =>
            new(message.Encrypted ? "" : Encoding.UTF8.GetString(message.Data.Span), null);
    }
}

/// <summary>A MSG as delivered. ToMe: a PM (else a channel message); ToInviteOnly: to an invite-only channel; ViaLink:
/// it came over a direct link, not from the server.</summary>
public sealed record IncomingMessage(string From, Tag To, bool ToMe, bool ToInviteOnly, ReadOnlyMemory<byte> Data, bool Encrypted,
    ulong MessageId, bool Offline, bool ViaLink = false);

/// <summary>A message's text to show, and the sender's key status when it was end-to-end encrypted.</summary>
public sealed record ReadText(string Text, string? KeyStatus);

// Runs a full link handshake between two fixed identities in memory, for link tests.
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Crypto.Handshake;

namespace P2PChat.Core.Tests.Crypto.Support;

internal sealed class LinkPair : IDisposable
{
    public static readonly byte[] Prologue = "p2pchat link v1|alice|bob"u8.ToArray();

    public LinkPair(string seed = "link", IdentityPublicKey? initiatorExpects = null, IdentityPublicKey? responderExpects = null)
    {
        var keys = new SeededKeySource(seed);
        AliceIdentity = TestIdentities.Alice();
        BobIdentity = TestIdentities.Bob();
        Initiator = new LinkHandshakeInitiator(AliceIdentity, initiatorExpects ?? BobIdentity.Public, Prologue, keys);
        Responder = new LinkHandshakeResponder(BobIdentity, responderExpects, Prologue, keys);
    }

    public IdentityKeyPair AliceIdentity { get; }
    public IdentityKeyPair BobIdentity { get; }
    public LinkHandshakeInitiator Initiator { get; }
    public LinkHandshakeResponder Responder { get; }
    public byte[] Message1 { get; private set; } = [];
    public byte[] Message2 { get; private set; } = [];
    public byte[] Message3 { get; private set; } = [];

    public LinkPair Run()
    {
        Message1 = Initiator.WriteMessage1();
        Responder.ReadMessage1(Message1);
        Message2 = Responder.WriteMessage2("bob's payload"u8);
        Initiator.ReadMessage2(Message2);
        Message3 = Initiator.WriteMessage3("alice's payload"u8);
        Responder.ReadMessage3(Message3);
        return this;
    }

    public void Dispose()
    {
        Initiator.Dispose();
        Responder.Dispose();
        AliceIdentity.Dispose();
        BobIdentity.Dispose();
    }
}

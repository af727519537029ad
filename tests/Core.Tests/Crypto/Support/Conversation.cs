// Two established pairwise sessions (alice initiated, bob accepted) for ratchet tests.
using System.Text;
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Crypto.Ratchet;

namespace P2PChat.Core.Tests.Crypto.Support;

internal sealed class Conversation : IDisposable
{
    private readonly IdentityKeyPair _alice;
    private readonly TestIdentities.Responder _bob;

    /// <summary>Alice sends "hello", Bob accepts it; no reply yet.</summary>
    public Conversation(string seed = "conversation")
    {
        var keys = new SeededKeySource(seed);
        _alice = TestIdentities.Alice();
        _bob = new TestIdentities.Responder(TestIdentities.Bob(), keys);
        Alice = PairwiseSession.Initiate(_alice, _bob.Bundle, keys);
        Bob = _bob.Accept(Alice.Encrypt(Utf8("hello")), out var first, keys);
        FirstPlaintext = first;
    }

    public PairwiseSession Alice { get; }
    public PairwiseSession Bob { get; }
    public byte[] FirstPlaintext { get; }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
    public static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    public void Dispose()
    {
        Alice.Dispose();
        Bob.Dispose();
        _alice.Dispose();
        _bob.Dispose();
    }
}

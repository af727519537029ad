// A server test double that rewrites, replays, reorders, drops and forges traffic and swaps published keys.
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Crypto.Prekeys;
using P2PChat.Core.Crypto.Primitives;
using P2PChat.Core.Crypto.Ratchet;
using P2PChat.Core.Tests.Crypto.Support;
using Xunit;
using static P2PChat.Core.Tests.Crypto.Support.Conversation;

namespace P2PChat.Core.Tests.Crypto.Ratchet;

public sealed class MaliciousServerTests
{
    // Relays ciphertext between two sessions and does to it whatever a hostile server could do.
    private sealed class HostileRelay(Random random)
    {
        public List<byte[]> Seen { get; } = [];

        public IEnumerable<byte[]> Deliver(IReadOnlyList<byte[]> genuine)
        {
            Seen.AddRange(genuine);
            var outgoing = new List<byte[]>();
            foreach (var message in genuine)
            {
                switch (random.Next(6))
                {
                    case 0: break;                                                         // drop
                    case 1: outgoing.Add(Flip(message)); outgoing.Add(message); break;     // modify, then the real one
                    case 2: outgoing.Add(message); outgoing.Add(message); break;           // replay at once
                    default: outgoing.Add(message); break;
                }
            }
            outgoing.Add(Seen[random.Next(Seen.Count)]);                                   // replay something old
            outgoing.Add(Forge());                                                         // forge from nothing
            return outgoing.OrderBy(_ => random.Next());                                   // reorder everything
        }

        private byte[] Flip(byte[] message)
        {
            var copy = (byte[])message.Clone();
            copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
            return copy;
        }

        private byte[] Forge()
        {
            var template = (byte[])Seen[random.Next(Seen.Count)].Clone();
            random.NextBytes(template.AsSpan(template.Length - 20));
            return template;
        }
    }

    [Fact]
    public void No_altered_replayed_or_forged_message_is_ever_accepted()
    {
        using var c = new Conversation();
        var relay = new HostileRelay(new Random(4242));
        var genuineTexts = new HashSet<string>();
        var delivered = new List<string>();
        for (var round = 0; round < 30; round++)
        {
            var (sender, receiver) = round % 2 == 0 ? (c.Bob, c.Alice) : (c.Alice, c.Bob);
            var batch = Enumerable.Range(0, 3).Select(i => $"r{round}m{i}").ToList();
            genuineTexts.UnionWith(batch);
            foreach (var message in relay.Deliver(batch.Select(t => sender.Encrypt(Utf8(t))).ToList()))
            {
                try { delivered.Add(Text(receiver.Decrypt(message))); }
                catch (CryptoProtocolException) { }
            }
        }
        Assert.All(delivered, text => Assert.Contains(text, genuineTexts));
        Assert.Equal(delivered.Count, delivered.Distinct().Count());
        Assert.True(delivered.Count > 40, $"only {delivered.Count} genuine messages got through");
    }

    [Fact]
    public void A_swapped_identity_in_a_bundle_is_caught_by_the_signature_or_raises_a_held_key_change()
    {
        var keys = new SeededKeySource("swap");
        using var alice = TestIdentities.Alice();
        using var bob = new TestIdentities.Responder(TestIdentities.Bob(), keys);
        using var mallory = new TestIdentities.Responder(IdentityKeyPair.Generate(keys), keys);
        var bobOnRecord = bob.Identity.Public;

        // Mallory's identity with Bob's signed prekey: the signature check fails before any key agreement.
        var spliced = bob.Bundle with { Identity = mallory.Identity.Public };
        Rejection.Expect(() => PairwiseSession.Initiate(alice, spliced, keys), CryptoFailure.BadSignature);

        // Mallory's complete bundle under Bob's name is self-consistent: the key book flags it and holds messages.
        var book = new ContactKeyBook();
        book.Observe("bob", bobOnRecord);
        var served = PrekeyBundle.Decode(mallory.Bundle.Encode());
        Assert.Equal(KeyObservation.Changed, book.Observe("bob", served.Identity));
        Assert.True(book.IsHeld("bob"));
        using var session = PairwiseSession.Initiate(alice, served, keys);
        Assert.NotEqual(bobOnRecord, session.RemoteIdentity);
        Assert.NotEqual(
            SafetyNumber.Compute("alice", alice.Public, "bob", bobOnRecord).Digits,
            SafetyNumber.Compute("alice", alice.Public, "bob", session.RemoteIdentity).Digits);
    }

    [Fact]
    public void A_server_that_swaps_the_senders_identity_in_a_prekey_message_gets_nothing_accepted()
    {
        var keys = new SeededKeySource("swap-sender");
        using var alice = TestIdentities.Alice();
        using var mallory = IdentityKeyPair.Generate(keys);
        using var bob = new TestIdentities.Responder(TestIdentities.Bob(), keys);
        using var session = PairwiseSession.Initiate(alice, bob.Bundle, keys);
        var first = session.Encrypt(Utf8("from alice"));
        var claimed = (byte[])first.Clone();
        mallory.Public.Encode().CopyTo(claimed, 2);
        Rejection.Expect(() => bob.Accept(claimed, out _), CryptoFailure.AuthenticationFailed);
    }

    [Fact]
    public void Substituting_the_prekeys_of_a_bundle_without_the_identity_key_is_rejected()
    {
        var keys = new SeededKeySource("substitute");
        using var alice = TestIdentities.Alice();
        using var bob = new TestIdentities.Responder(TestIdentities.Bob(), keys);
        using var rogue = AgreementKeyPair.Generate(keys);
        var forged = bob.Bundle with { SignedPrekey = bob.Bundle.SignedPrekey with { PublicKey = rogue.PublicKey } };
        Rejection.Expect(() => PairwiseSession.Initiate(alice, forged, keys), CryptoFailure.BadSignature);
    }
}

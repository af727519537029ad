// Every decoder of bytes from outside refuses garbage with CryptoProtocolException only: no other exception, no partial result.
using FsCheck;
using FsCheck.Fluent;
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Groups;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Crypto.Prekeys;
using P2PChat.Core.Crypto.Primitives;
using P2PChat.Core.Crypto.Ratchet;
using P2PChat.Core.Crypto.Vault;
using P2PChat.Core.Tests.Crypto.Support;
using Xunit;

namespace P2PChat.Core.Tests.Crypto;

public sealed class CodecRobustnessTests
{
    // A valid sample of each format, and the decoder to throw mutations at.
    private static IEnumerable<(string Name, byte[] Valid, Action<byte[]> Decode)> Formats()
    {
        var keys = new SeededKeySource("codecs");
        var alice = TestIdentities.Alice();
        var bob = new TestIdentities.Responder(TestIdentities.Bob(), keys);
        var session = PairwiseSession.Initiate(alice, bob.Bundle, keys);
        var envelope = session.Encrypt("hi"u8);
        var sender = GroupSenderKey.Create(keys);
        var vault = ProfileKeyVault.CreateUnchecked("pw", new Argon2Settings(64, 1), keys);
        yield return ("identity", alice.Public.Encode(), b => IdentityPublicKey.Decode(b));
        yield return ("identity private", alice.ExportPrivate(), b => IdentityKeyPair.ImportPrivate(b).Dispose());
        yield return ("bundle", bob.Bundle.Encode(), b => PrekeyBundle.Decode(b));
        yield return ("prekey private", bob.SignedPrekey.ExportPrivate(), b => PrekeyPair.ImportPrivate(b).Dispose());
        yield return ("envelope", envelope, b => MessageEnvelope.Decode(b));
        yield return ("session state", session.Serialize(), b => PairwiseSession.Deserialize(b, keys).Dispose());
        yield return ("sender key distribution", sender.CreateDistribution().Encode(), b => SenderKeyDistribution.Decode(b));
        yield return ("sender key state", sender.Serialize(), b => GroupSenderKey.Deserialize(b).Dispose());
        yield return ("receiver key state", GroupReceiverKey.FromDistribution(sender.CreateDistribution()).Serialize(), b => GroupReceiverKey.Deserialize(b).Dispose());
        yield return ("contact key book", ContactKeyBookSample(alice.Public), b => ContactKeyBook.Deserialize(b));
        yield return ("vault blob", vault.Seal("secret"u8), b => vault.Open(b));
    }

    private static byte[] ContactKeyBookSample(IdentityPublicKey key)
    {
        var book = new ContactKeyBook();
        book.Observe("bob", key);
        return book.Serialize();
    }

    private static readonly Gen<(int Position, byte Value, int Cut)> Mutation =
        from position in Gen.Choose(0, 4000)
        from value in ArbMap.Default.GeneratorFor<byte>()
        from cut in Gen.Choose(-3, 3)
        select (position, value, cut);

    [Fact]
    public void Mutated_and_truncated_inputs_fail_only_with_protocol_exceptions()
    {
        foreach (var (name, valid, decode) in Formats())
        {
            Prop.ForAll(Arb.From(Mutation), m =>
            {
                var bytes = (byte[])valid.Clone();
                bytes[m.Position % bytes.Length] = m.Value;
                if (m.Cut < 0) bytes = bytes[..Math.Max(0, bytes.Length + m.Cut * 7)];
                if (m.Cut > 0) bytes = [.. bytes, .. new byte[m.Cut]];
                try { decode(bytes); }
                catch (CryptoProtocolException) { }
                catch (Exception e) { throw new InvalidOperationException($"{name}: {e.GetType().Name} for a mutated input", e); }
            }).Check(DeterministicProperties.Config(maxTest: 60));
        }
    }

    [Fact]
    public void Random_bytes_fail_only_with_protocol_exceptions()
    {
        foreach (var (name, _, decode) in Formats())
        {
            Prop.ForAll(Arb.From(Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>())), bytes =>
            {
                try { decode(bytes); }
                catch (CryptoProtocolException) { }
                catch (Exception e) { throw new InvalidOperationException($"{name}: {e.GetType().Name} for random input", e); }
            }).Check(DeterministicProperties.Config(maxTest: 60));
        }
    }
}

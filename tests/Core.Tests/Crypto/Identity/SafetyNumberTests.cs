// Safety numbers: same on both sides, readable grouping, tolerant matching, and different when a key changes.
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Tests.Crypto.Support;
using Xunit;

namespace P2PChat.Core.Tests.Crypto.Identity;

public sealed class SafetyNumberTests
{
    [Fact]
    public void Both_sides_compute_the_same_sixty_digits()
    {
        using var alice = TestIdentities.Alice();
        using var bob = TestIdentities.Bob();
        var mine = SafetyNumber.Compute("alice", alice.Public, "bob", bob.Public);
        var theirs = SafetyNumber.Compute("bob", bob.Public, "alice", alice.Public);
        Assert.Equal(mine.Digits, theirs.Digits);
        Assert.Equal(60, mine.Digits.Length);
        Assert.All(mine.Digits, c => Assert.InRange(c, '0', '9'));
        Assert.Equal(12, mine.ToString().Split(' ').Length);
    }

    [Fact]
    public void Typed_numbers_match_with_any_spacing_and_not_with_a_wrong_digit()
    {
        using var alice = TestIdentities.Alice();
        using var bob = TestIdentities.Bob();
        var number = SafetyNumber.Compute("alice", alice.Public, "bob", bob.Public);
        Assert.True(number.Matches(number.ToString()));
        Assert.True(number.Matches(number.Digits));
        Assert.True(number.Matches(string.Join("\n", number.ToString().Chunk(24).Select(c => new string(c)))));
        var wrong = (number.Digits[0] == '9' ? '8' : '9') + number.Digits[1..];
        Assert.False(number.Matches(wrong));
        Assert.False(number.Matches(number.Digits[..59]));
    }

    [Fact]
    public void A_changed_key_or_user_id_changes_the_number()
    {
        using var alice = TestIdentities.Alice();
        using var bob = TestIdentities.Bob();
        using var mallory = IdentityKeyPair.Generate(new SeededKeySource("mallory"));
        var genuine = SafetyNumber.Compute("alice", alice.Public, "bob", bob.Public).Digits;
        Assert.NotEqual(genuine, SafetyNumber.Compute("alice", alice.Public, "bob", mallory.Public).Digits);
        Assert.NotEqual(genuine, SafetyNumber.Compute("alice", alice.Public, "bobby", bob.Public).Digits);
        Assert.Equal(IdentityFingerprint.DigitCount, IdentityFingerprint.Compute("alice", alice.Public).Length);
    }
}

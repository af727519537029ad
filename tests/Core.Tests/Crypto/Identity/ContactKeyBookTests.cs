// Trust on first use, loud key changes that hold messages, /trust and /verify, persistence.
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Tests.Crypto.Support;
using Xunit;

namespace P2PChat.Core.Tests.Crypto.Identity;

public sealed class ContactKeyBookTests : IDisposable
{
    private readonly IdentityKeyPair _alice = TestIdentities.Alice();
    private readonly IdentityKeyPair _bob = TestIdentities.Bob();
    private readonly IdentityKeyPair _mallory = IdentityKeyPair.Generate(new SeededKeySource("mallory"));

    public void Dispose()
    {
        _alice.Dispose();
        _bob.Dispose();
        _mallory.Dispose();
    }

    [Fact]
    public void First_key_is_trusted_and_the_same_key_again_is_unchanged()
    {
        var book = new ContactKeyBook();
        Assert.Equal(ContactKeyStatus.Unknown, book.StatusOf("bob"));
        Assert.Equal(KeyObservation.FirstSeen, book.Observe("bob", _bob.Public));
        Assert.Equal(KeyObservation.Unchanged, book.Observe("bob", IdentityPublicKey.Decode(_bob.Public.Encode())));
        Assert.Equal(ContactKeyStatus.Trusted, book.StatusOf("bob"));
        Assert.False(book.IsHeld("bob"));
    }

    [Fact]
    public void A_swapped_key_is_a_change_that_holds_messages_until_trusted()
    {
        var book = new ContactKeyBook();
        book.Observe("bob", _bob.Public);
        Assert.Equal(KeyObservation.Changed, book.Observe("bob", _mallory.Public));
        Assert.True(book.IsHeld("bob"));
        Assert.Equal(_bob.Public, book.CurrentKey("bob"));
        Assert.Equal(_mallory.Public, book.PendingKey("bob"));
        Assert.Equal(KeyObservation.Changed, book.Observe("bob", _mallory.Public));

        Assert.True(book.Trust("bob"));
        Assert.False(book.IsHeld("bob"));
        Assert.Equal(_mallory.Public, book.CurrentKey("bob"));
        Assert.False(book.Trust("bob"));
    }

    [Fact]
    public void Verify_accepts_only_the_right_safety_number()
    {
        var book = new ContactKeyBook();
        book.Observe("bob", _bob.Public);
        var number = SafetyNumber.Compute("alice", _alice.Public, "bob", _bob.Public);
        var wrong = SafetyNumber.Compute("alice", _alice.Public, "bob", _mallory.Public);
        Assert.False(book.Verify("alice", _alice.Public, "bob", wrong.ToString()));
        Assert.Equal(ContactKeyStatus.Trusted, book.StatusOf("bob"));
        Assert.True(book.Verify("alice", _alice.Public, "bob", number.ToString()));
        Assert.Equal(ContactKeyStatus.Verified, book.StatusOf("bob"));
        Assert.False(book.Verify("alice", _alice.Public, "carol", number.ToString()));
    }

    [Fact]
    public void A_verified_contact_whose_key_changes_is_held_again()
    {
        var book = new ContactKeyBook();
        book.Observe("bob", _bob.Public);
        book.Verify("alice", _alice.Public, "bob", SafetyNumber.Compute("alice", _alice.Public, "bob", _bob.Public).Digits);
        Assert.Equal(KeyObservation.Changed, book.Observe("bob", _mallory.Public));
        Assert.Equal(ContactKeyStatus.Changed, book.StatusOf("bob"));
        Assert.True(book.Verify("alice", _alice.Public, "bob", SafetyNumber.Compute("alice", _alice.Public, "bob", _mallory.Public).Digits));
        Assert.Equal(_mallory.Public, book.CurrentKey("bob"));
        Assert.Equal(ContactKeyStatus.Verified, book.StatusOf("bob"));
    }

    [Fact]
    public void Round_trips_through_bytes()
    {
        var book = new ContactKeyBook();
        book.Observe("bob", _bob.Public);
        book.Observe("bob", _mallory.Public);
        book.Observe("carolé", _alice.Public);
        var restored = ContactKeyBook.Deserialize(book.Serialize());
        Assert.Equal(book.Serialize(), restored.Serialize());
        Assert.True(restored.IsHeld("bob"));
        Assert.Equal(_mallory.Public, restored.PendingKey("bob"));
        Assert.Equal(ContactKeyStatus.Trusted, restored.StatusOf("carolé"));
    }
}

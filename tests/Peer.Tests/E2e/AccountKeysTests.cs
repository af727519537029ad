// The profile's end-to-end secrets: written sealed, a copied folder gives nothing away without the password, and they reopen with it.
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Crypto.Prekeys;
using P2PChat.Core.Crypto.Ratchet;
using P2PChat.Peer.E2e;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Peer.Tests.E2e;

public sealed class AccountKeysTests
{
    private const string Password = "correct horse battery";
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private static int IndexIn(byte[] haystack, ReadOnlySpan<byte> needle) => haystack.AsSpan().IndexOf(needle);

    [Fact]
    public void A_copied_profile_folder_holds_no_private_key_and_opens_only_with_the_password()
    {
        using var profile = new TempDirectory("p2pchat-keys");
        using var bob = IdentityKeyPair.Generate();
        using var bobPrekey = PrekeyPair.CreateSigned(bob, 1);
        byte[] identityPrivate, prekeyPrivate, identityPublic, sessionState;
        using (var keys = AccountKeys.Create(new KeyFiles(profile.Path, "alice"), Password, Now))
        {
            keys.Prekeys.AddOneTime(3);
            var session = PairwiseSession.Initiate(keys.Identity, new PrekeyBundle(bob.Public, bobPrekey.ToSignedPublic(), null));
            session.Encrypt("hello"u8);
            keys.SetSession("bob", session);
            keys.Contacts.Observe("bob", bob.Public);
            keys.SaveAll();
            identityPrivate = keys.Identity.ExportPrivate();
            prekeyPrivate = keys.Prekeys.Signed.ExportPrivate();
            identityPublic = keys.Identity.Public.Encode();
            sessionState = session.Serialize(atLiveCounter: true);   // what the clean close (Dispose) leaves on disk
        }

        using var copy = new TempDirectory("p2pchat-stolen");
        var files = Directory.GetFiles(profile.Path, "*", SearchOption.AllDirectories);
        Assert.Contains(files, f => f.EndsWith("session-bob.bin", StringComparison.Ordinal));
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            Assert.Equal(-1, IndexIn(bytes, identityPrivate.AsSpan(1, 32)));  // signing scalar
            Assert.Equal(-1, IndexIn(bytes, identityPrivate.AsSpan(33, 32))); // agreement scalar
            Assert.Equal(-1, IndexIn(bytes, prekeyPrivate.AsSpan(5, 32)));    // signed prekey scalar
            Assert.Equal(-1, IndexIn(bytes, sessionState.AsSpan(sessionState.Length - 64, 32)));
            Assert.Equal(-1, IndexIn(bytes, bob.Public.Encode()));           // even who alice talks to is sealed
            Assert.Equal(file.EndsWith("session-bob.bin", StringComparison.Ordinal) ? "P2PS"u8.ToArray() : "P2PV"u8.ToArray(), bytes[..4]);
            var target = Path.Combine(copy.Path, Path.GetRelativePath(profile.Path, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        var stolen = new KeyFiles(copy.Path, "alice");
        Assert.Equal(CryptoFailure.WrongPassword, Assert.Throws<CryptoProtocolException>(() => AccountKeys.Open(stolen, "guess")).Reason);
        using var opened = AccountKeys.Open(stolen, Password);
        Assert.Equal(identityPublic, opened.Identity.Public.Encode());
        Assert.Equal(3, opened.Prekeys.OneTimeCount);
        Assert.Equal(ContactKeyStatus.Trusted, opened.Contacts.StatusOf("bob"));
        Assert.Equal(sessionState, opened.Session("bob")!.Serialize());
    }

    [Fact]
    public void A_damaged_file_is_reported_not_half_read()
    {
        using var profile = new TempDirectory("p2pchat-keys");
        var files = new KeyFiles(profile.Path, "alice");
        using (var keys = AccountKeys.Create(files, Password, Now)) keys.SaveAll();
        var path = Path.Combine(files.Folder, KeyFiles.PrekeysFile);
        var bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 1;
        File.WriteAllBytes(path, bytes);
        Assert.Equal(CryptoFailure.AuthenticationFailed, Assert.Throws<CryptoProtocolException>(() => AccountKeys.Open(files, Password)).Reason);
    }

    [Theory]
    [InlineData("../evil")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("")]
    public void Names_that_could_leave_the_key_folder_are_refused(string name)
    {
        Assert.Throws<ArgumentException>(() => new KeyFiles("/tmp/profile", name));
        Assert.Throws<ArgumentException>(() => KeyFiles.SessionFile(name));
    }
}

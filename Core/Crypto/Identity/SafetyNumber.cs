// The 60-digit safety number two contacts compare to verify each other; same on both sides.
namespace P2PChat.Core.Crypto.Identity;

/// <summary>
/// Safety number = the two 30-digit <see cref="IdentityFingerprint"/>s, the numerically smaller first,
/// so both sides compute the same 60 digits. Displayed as twelve groups of five.
/// </summary>
public sealed class SafetyNumber
{
    public const int DigitCount = 2 * IdentityFingerprint.DigitCount;

    private SafetyNumber(string digits) => Digits = digits;

    /// <summary>The 60 digits without separators.</summary>
    public string Digits { get; }

    public static SafetyNumber Compute(string localUserId, IdentityPublicKey localIdentity, string remoteUserId, IdentityPublicKey remoteIdentity)
    {
        var local = IdentityFingerprint.Compute(localUserId, localIdentity);
        var remote = IdentityFingerprint.Compute(remoteUserId, remoteIdentity);
        return new SafetyNumber(string.CompareOrdinal(local, remote) <= 0 ? local + remote : remote + local);
    }

    /// <summary>True if what the user typed is this number, ignoring spaces, dashes and line breaks.</summary>
    public bool Matches(string typed)
    {
        var digitsOnly = new string(typed.Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray());
        return string.Equals(digitsOnly, Digits, StringComparison.Ordinal);
    }

    public override string ToString() => IdentityFingerprint.Group(Digits);
}

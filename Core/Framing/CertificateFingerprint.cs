// SHA-256 fingerprints of TLS certificates: how they are computed, printed and compared for pinning.
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace P2PChat.Core.Framing;

/// <summary>
/// A certificate's fingerprint is SHA-256 over its DER encoding, printed as 32 upper-case hex pairs joined by ':'
/// (as <c>openssl x509 -fingerprint -sha256</c> prints it). Parsing accepts any case, with or without colons.
/// </summary>
public static class CertificateFingerprint
{
    public static string Of(X509Certificate certificate) => Format(SHA256.HashData(certificate.GetRawCertData()));

    public static string Format(ReadOnlySpan<byte> hash) => string.Join(':', Convert.ToHexString(hash).Chunk(2).Select(c => new string(c)));

    /// <summary>Normalises a user-typed fingerprint, or null when it is not 32 hex bytes.</summary>
    public static string? Normalize(string text)
    {
        var hex = text.Replace(":", "").Replace(" ", "").Trim();
        if (hex.StartsWith("SHA256", StringComparison.OrdinalIgnoreCase)) hex = hex[6..].TrimStart('=', '-');
        if (hex.Length != 64 || !hex.All(Uri.IsHexDigit)) return null;
        return Format(Convert.FromHexString(hex));
    }

    public static bool Matches(string a, string b) =>
        Normalize(a) is { } x && Normalize(b) is { } y && CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(x), System.Text.Encoding.ASCII.GetBytes(y));
}

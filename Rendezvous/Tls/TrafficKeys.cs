// TLS 1.3 key derivation from a traffic secret (RFC 8446 §7.1–7.3): HKDF-Expand-Label for key, iv and the next secret.
using System.Security.Cryptography;

namespace P2PChat.Rendezvous.Tls;

/// <summary>
/// HKDF-Expand-Label(Secret, Label, Context, Length) = HKDF-Expand(Secret, HkdfLabel, Length), where HkdfLabel is
/// <code>
///   uint16 length            (Length, big-endian)
///   opaque label&lt;7..255&gt;     (1-byte length, then "tls13 " ‖ Label)
///   opaque context&lt;0..255&gt;   (1-byte length, then Context; always empty here)
/// </code>
/// Traffic keys: key = HKDF-Expand-Label(secret, "key", "", key length), iv = HKDF-Expand-Label(secret, "iv", "", 12);
/// after a KeyUpdate: secret' = HKDF-Expand-Label(secret, "traffic upd", "", hash length). Pure: no state, no I/O.
/// </summary>
public static class TrafficKeys
{
    private static ReadOnlySpan<byte> Prefix => "tls13 "u8;

    /// <summary>HKDF-Expand-Label with an empty context into <paramref name="output"/> (its length is Length).</summary>
    public static void ExpandLabel(HashAlgorithmName hash, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> label, Span<byte> output)
    {
        Span<byte> info = stackalloc byte[2 + 1 + 6 + 255 + 1];
        var labelLength = Prefix.Length + label.Length;
        if (labelLength > 255 || output.Length > ushort.MaxValue) throw new ArgumentException("label or output too long");
        info[0] = (byte)(output.Length >> 8);
        info[1] = (byte)output.Length;
        info[2] = (byte)labelLength;
        Prefix.CopyTo(info[3..]);
        label.CopyTo(info[(3 + Prefix.Length)..]);
        info[3 + labelLength] = 0;   // empty context
        HKDF.Expand(hash, secret, output, info[..(4 + labelLength)]);
    }

    /// <summary>The write key and iv of <paramref name="secret"/> for <paramref name="suite"/>.</summary>
    public static (byte[] Key, byte[] Iv) Derive(TlsCipherSuite suite, ReadOnlySpan<byte> secret)
    {
        var key = new byte[TlsCipherSuites.KeyLength(suite)];
        var iv = new byte[TlsCipherSuites.IvLength];
        ExpandLabel(TlsCipherSuites.Hash(suite), secret, "key"u8, key);
        ExpandLabel(TlsCipherSuites.Hash(suite), secret, "iv"u8, iv);
        return (key, iv);
    }

    /// <summary>application_traffic_secret_N+1 from _N (a KeyUpdate), written over <paramref name="secret"/>.</summary>
    public static void Next(TlsCipherSuite suite, Span<byte> secret)
    {
        Span<byte> next = stackalloc byte[secret.Length];
        ExpandLabel(TlsCipherSuites.Hash(suite), secret, "traffic upd"u8, next);
        next.CopyTo(secret);
        CryptographicOperations.ZeroMemory(next);
    }
}

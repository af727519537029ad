// The three TLS 1.3 cipher suites our record layer implements: ids, hash, key length and OpenSSL names.
using System.Security.Cryptography;

namespace P2PChat.Rendezvous.Tls;

/// <summary>TLS 1.3 cipher suites by their IANA id (RFC 8446 §B.4). Only these three are offered and implemented.</summary>
public enum TlsCipherSuite : ushort
{
    Aes128GcmSha256 = 0x1301,
    Aes256GcmSha384 = 0x1302,
    ChaCha20Poly1305Sha256 = 0x1303,
}

public static class TlsCipherSuites
{
    /// <summary>Every suite of the AEADs here uses a 12-byte nonce and a 16-byte tag (RFC 8446 §5.3, RFC 5116).</summary>
    public const int IvLength = 12;
    public const int TagLength = 16;

    public static bool IsKnown(ushort id) => id is 0x1301 or 0x1302 or 0x1303;

    public static HashAlgorithmName Hash(TlsCipherSuite suite) =>
        suite == TlsCipherSuite.Aes256GcmSha384 ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA256;

    /// <summary>Length of a traffic secret: the hash's output length.</summary>
    public static int SecretLength(TlsCipherSuite suite) => suite == TlsCipherSuite.Aes256GcmSha384 ? 48 : 32;

    public static int KeyLength(TlsCipherSuite suite) => suite == TlsCipherSuite.Aes128GcmSha256 ? 16 : 32;

    /// <summary>The suites this runtime can run (ChaCha20-Poly1305 needs the platform's support).</summary>
    public static IReadOnlyList<TlsCipherSuite> Available() =>
        ChaCha20Poly1305.IsSupported
            ? [TlsCipherSuite.Aes128GcmSha256, TlsCipherSuite.Aes256GcmSha384, TlsCipherSuite.ChaCha20Poly1305Sha256]
            : [TlsCipherSuite.Aes128GcmSha256, TlsCipherSuite.Aes256GcmSha384];

    /// <summary>OpenSSL's name of a suite (SSL_CTX_set_ciphersuites).</summary>
    public static string OpenSslName(TlsCipherSuite suite) => suite switch
    {
        TlsCipherSuite.Aes128GcmSha256 => "TLS_AES_128_GCM_SHA256",
        TlsCipherSuite.Aes256GcmSha384 => "TLS_AES_256_GCM_SHA384",
        _ => "TLS_CHACHA20_POLY1305_SHA256",
    };

    /// <summary>
    /// Records one key may protect before this side changes it with a KeyUpdate (RFC 8446 §5.5: AES-GCM may protect
    /// up to 2^24.5 full-size records per key; ChaCha20-Poly1305's limit is far above any sequence number we reach,
    /// but one rule for all is simpler and costs one KeyUpdate every 16 million records).
    /// </summary>
    public const ulong RecordsPerKey = 1UL << 24;
}

// The server's one OpenSSL SSL_CTX for its own TLS 1.3 handshakes: certificate, suites, tickets, the key log hook.
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace P2PChat.Rendezvous.Tls;

/// <summary>
/// TLS 1.3 only; the suites of <see cref="TlsCipherSuites.Available"/> in our order of preference (AES-128-GCM first);
/// the certificate and key of the data folder's <see cref="X509Certificate2"/>, handed to OpenSSL as DER; no server-side
/// session cache (resumption uses stateless tickets, <see cref="TicketsPerHandshake"/> a handshake, sealed with a key
/// that lives in this context); and a key log callback through which each handshake receives its application traffic
/// secrets (<see cref="TlsServerHandshake"/>). Thread-safe: handshakes on many threads share it.
/// </summary>
public sealed unsafe class ServerTlsContext : IDisposable
{
    /// <summary>NewSessionTickets sent after each full handshake (TLS 1.3 resumption: a reconnect skips the signature).</summary>
    public const int TicketsPerHandshake = 1;

    private readonly SafeSslContextHandle _ctx;

    private ServerTlsContext(SafeSslContextHandle ctx) => _ctx = ctx;

    /// <summary>A context for <paramref name="certificate"/> (with its private key).</summary>
    /// <exception cref="TlsUnavailableException">libssl.so.3 or libcrypto.so.3 cannot be loaded, a symbol is missing, or
    /// OpenSSL refuses the configuration (the message says which).</exception>
    public static ServerTlsContext Create(X509Certificate2 certificate)
    {
        try { return CreateCore(certificate); }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            throw new TlsUnavailableException($"{ex.GetType().Name}: {ex.Message}", ex);
        }
    }

    private static ServerTlsContext CreateCore(X509Certificate2 certificate)
    {
        OpenSslNative.ERR_clear_error();
        var ctx = OpenSslNative.SSL_CTX_new(OpenSslNative.TLS_server_method());
        if (ctx.IsInvalid) throw Refused("SSL_CTX_new");
        try
        {
            if (OpenSslNative.SSL_CTX_ctrl(ctx, OpenSslNative.SslCtrlSetMinProtoVersion, OpenSslNative.Tls13Version, 0) != 1
                || OpenSslNative.SSL_CTX_ctrl(ctx, OpenSslNative.SslCtrlSetMaxProtoVersion, OpenSslNative.Tls13Version, 0) != 1)
                throw Refused("TLS 1.3 only");
            var suites = string.Join(':', TlsCipherSuites.Available().Select(TlsCipherSuites.OpenSslName));
            if (OpenSslNative.SSL_CTX_set_ciphersuites(ctx, suites) != 1) throw Refused($"SSL_CTX_set_ciphersuites({suites})");
            OpenSslNative.SSL_CTX_set_options(ctx, OpenSslNative.SslOpCipherServerPreference);
            OpenSslNative.SSL_CTX_ctrl(ctx, OpenSslNative.SslCtrlSetSessCacheMode, 0, 0);   // SSL_SESS_CACHE_OFF
            if (OpenSslNative.SSL_CTX_set_num_tickets(ctx, TicketsPerHandshake) != 1) throw Refused("SSL_CTX_set_num_tickets");
            UseCertificate(ctx, certificate);
            OpenSslNative.SSL_CTX_set_keylog_callback(ctx, &TlsServerHandshake.OnKeyLog);
            return new ServerTlsContext(ctx);
        }
        catch
        {
            ctx.Dispose();
            throw;
        }
    }

    private static void UseCertificate(SafeSslContextHandle ctx, X509Certificate2 certificate)
    {
        var der = certificate.RawData;
        fixed (byte* p = der)
        {
            var cursor = p;
            var x509 = OpenSslNative.d2i_X509(0, &cursor, der.Length);
            if (x509 == 0) throw Refused("d2i_X509");
            try { if (OpenSslNative.SSL_CTX_use_certificate(ctx, x509) != 1) throw Refused("SSL_CTX_use_certificate"); }
            finally { OpenSslNative.X509_free(x509); }   // the context holds its own reference
        }
        using AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey() ?? certificate.GetRSAPrivateKey()
            ?? throw new TlsUnavailableException("the certificate has no ECDSA or RSA private key");
        var pkcs8 = key.ExportPkcs8PrivateKey();
        try
        {
            fixed (byte* p = pkcs8)
            {
                var cursor = p;
                var pkey = OpenSslNative.d2i_AutoPrivateKey(0, &cursor, pkcs8.Length);
                if (pkey == 0) throw Refused("d2i_AutoPrivateKey");
                try { if (OpenSslNative.SSL_CTX_use_PrivateKey(ctx, pkey) != 1) throw Refused("SSL_CTX_use_PrivateKey"); }
                finally { OpenSslNative.EVP_PKEY_free(pkey); }
            }
        }
        finally { CryptographicOperations.ZeroMemory(pkcs8); }
        if (OpenSslNative.SSL_CTX_check_private_key(ctx) != 1) throw Refused("SSL_CTX_check_private_key");
    }

    /// <summary>A new server-side SSL object reading from and writing to two fresh memory BIOs (owned by it).</summary>
    internal SafeSslHandle NewConnection(out nint readBio, out nint writeBio)
    {
        var ssl = OpenSslNative.SSL_new(_ctx);
        if (ssl.IsInvalid) throw new InvalidOperationException("SSL_new failed: " + OpenSslNative.Errors());
        readBio = OpenSslNative.BIO_new(OpenSslNative.BIO_s_mem());
        writeBio = OpenSslNative.BIO_new(OpenSslNative.BIO_s_mem());
        if (readBio == 0 || writeBio == 0)
        {
            if (readBio != 0) OpenSslNative.BIO_free(readBio);
            if (writeBio != 0) OpenSslNative.BIO_free(writeBio);
            ssl.Dispose();
            throw new InvalidOperationException("BIO_new failed: " + OpenSslNative.Errors());
        }
        OpenSslNative.SSL_set_bio(ssl, readBio, writeBio);
        OpenSslNative.SSL_set_accept_state(ssl);
        return ssl;
    }

    private static TlsUnavailableException Refused(string what) => new($"OpenSSL refused {what}: {OpenSslNative.Errors()}");

    public void Dispose() => _ctx.Dispose();
}

/// <summary>The server's own TLS engine cannot run here (the message says why); the server falls back to SslStream.</summary>
public sealed class TlsUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

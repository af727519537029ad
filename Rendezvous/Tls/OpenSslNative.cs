// The few libssl.so.3 / libcrypto.so.3 entry points the server's own TLS handshake uses (P/Invoke, SafeHandles).
using System.Runtime.InteropServices;

namespace P2PChat.Rendezvous.Tls;

/// <summary>Declarations only (OpenSSL 3.x ABI on Linux: C long is 64-bit). Callers own error handling.</summary>
internal static unsafe partial class OpenSslNative
{
    private const string Ssl = "libssl.so.3";
    private const string Crypto = "libcrypto.so.3";

    public const int SslCtrlSetSessCacheMode = 44;        // SSL_CTX_set_session_cache_mode
    public const int SslCtrlSetMinProtoVersion = 123;     // SSL_CTX_set_min_proto_version
    public const int SslCtrlSetMaxProtoVersion = 124;     // SSL_CTX_set_max_proto_version
    public const int Tls13Version = 0x0304;
    public const int SslErrorWantRead = 2;
    public const ulong SslOpCipherServerPreference = 1UL << 22;

    [LibraryImport(Ssl)] public static partial nint TLS_server_method();
    [LibraryImport(Ssl)] public static partial SafeSslContextHandle SSL_CTX_new(nint method);
    [LibraryImport(Ssl)] public static partial void SSL_CTX_free(nint ctx);
    [LibraryImport(Ssl)] public static partial nint SSL_CTX_ctrl(SafeSslContextHandle ctx, int cmd, nint larg, nint parg);
    [LibraryImport(Ssl, StringMarshalling = StringMarshalling.Utf8)] public static partial int SSL_CTX_set_ciphersuites(SafeSslContextHandle ctx, string list);
    [LibraryImport(Ssl)] public static partial int SSL_CTX_use_certificate(SafeSslContextHandle ctx, nint x509);
    [LibraryImport(Ssl)] public static partial int SSL_CTX_use_PrivateKey(SafeSslContextHandle ctx, nint pkey);
    [LibraryImport(Ssl)] public static partial int SSL_CTX_check_private_key(SafeSslContextHandle ctx);
    [LibraryImport(Ssl)] public static partial void SSL_CTX_set_keylog_callback(SafeSslContextHandle ctx, delegate* unmanaged[Cdecl]<nint, byte*, void> callback);
    [LibraryImport(Ssl)] public static partial int SSL_CTX_set_num_tickets(SafeSslContextHandle ctx, nuint tickets);
    [LibraryImport(Ssl)] public static partial ulong SSL_CTX_set_options(SafeSslContextHandle ctx, ulong options);

    [LibraryImport(Ssl)] public static partial SafeSslHandle SSL_new(SafeSslContextHandle ctx);
    [LibraryImport(Ssl)] public static partial void SSL_free(nint ssl);
    [LibraryImport(Ssl)] public static partial void SSL_set_bio(SafeSslHandle ssl, nint readBio, nint writeBio);
    [LibraryImport(Ssl)] public static partial void SSL_set_accept_state(SafeSslHandle ssl);
    [LibraryImport(Ssl)] public static partial int SSL_do_handshake(SafeSslHandle ssl);
    [LibraryImport(Ssl)] public static partial int SSL_get_error(SafeSslHandle ssl, int result);
    [LibraryImport(Ssl)] public static partial nint SSL_get_current_cipher(SafeSslHandle ssl);
    [LibraryImport(Ssl)] public static partial ushort SSL_CIPHER_get_protocol_id(nint cipher);
    [LibraryImport(Ssl)] public static partial int SSL_version(SafeSslHandle ssl);
    [LibraryImport(Ssl)] public static partial int SSL_session_reused(SafeSslHandle ssl);

    [LibraryImport(Crypto)] public static partial nint BIO_s_mem();
    [LibraryImport(Crypto)] public static partial nint BIO_new(nint method);
    [LibraryImport(Crypto)] public static partial int BIO_free(nint bio);
    [LibraryImport(Crypto)] public static partial int BIO_write(nint bio, byte* data, int length);
    [LibraryImport(Crypto)] public static partial int BIO_read(nint bio, byte* data, int length);
    [LibraryImport(Crypto)] public static partial nuint BIO_ctrl_pending(nint bio);
    [LibraryImport(Crypto)] public static partial nint d2i_X509(nint reuse, byte** input, nint length);
    [LibraryImport(Crypto)] public static partial void X509_free(nint x509);
    [LibraryImport(Crypto)] public static partial nint d2i_AutoPrivateKey(nint reuse, byte** input, nint length);
    [LibraryImport(Crypto)] public static partial void EVP_PKEY_free(nint key);
    [LibraryImport(Crypto)] public static partial nuint ERR_get_error();
    [LibraryImport(Crypto)] public static partial void ERR_error_string_n(nuint error, byte* buffer, nuint length);
    [LibraryImport(Crypto)] public static partial void ERR_clear_error();

    /// <summary>OpenSSL's queued errors on this thread as one line (and the queue emptied).</summary>
    public static string Errors()
    {
        var parts = new List<string>();
        Span<byte> text = stackalloc byte[256];
        for (nuint e; (e = ERR_get_error()) != 0 && parts.Count < 4;)
            fixed (byte* p = text)
            {
                ERR_error_string_n(e, p, (nuint)text.Length);
                parts.Add(Marshal.PtrToStringUTF8((nint)p) ?? "?");
            }
        ERR_clear_error();
        return parts.Count == 0 ? "no OpenSSL error queued" : string.Join("; ", parts);
    }
}

/// <summary>An <c>SSL_CTX*</c>, freed with <c>SSL_CTX_free</c>.</summary>
internal sealed class SafeSslContextHandle() : SafeHandle(0, ownsHandle: true)
{
    public override bool IsInvalid => handle == 0;
    protected override bool ReleaseHandle()
    {
        OpenSslNative.SSL_CTX_free(handle);
        return true;
    }
}

/// <summary>An <c>SSL*</c> (with the memory BIOs it owns), freed with <c>SSL_free</c>.</summary>
internal sealed class SafeSslHandle() : SafeHandle(0, ownsHandle: true)
{
    public override bool IsInvalid => handle == 0;
    protected override bool ReleaseHandle()
    {
        OpenSslNative.SSL_free(handle);
        return true;
    }
}

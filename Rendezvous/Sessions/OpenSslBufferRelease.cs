// Lets OpenSSL free a TLS connection's record buffers while it is idle (SSL_MODE_RELEASE_BUFFERS), which .NET does not set.
using System.Net.Security;
using System.Reflection;
using System.Runtime.InteropServices;

namespace P2PChat.Rendezvous.Sessions;

/// <summary>
/// On Linux, SslStream runs OpenSSL, whose SSL object keeps a read and a write record buffer of about 17 KiB each for
/// the life of the connection unless SSL_MODE_RELEASE_BUFFERS is set (then it frees each as soon as it is empty, as
/// nginx and CPython's ssl module do). .NET exposes neither the mode nor the SSL handle, so this reads the handle from
/// SslStream's private <c>_securityContext</c> (on Linux in .NET 9 and 10 a <c>SafeSslHandle</c> whose handle is the
/// <c>SSL*</c>) and calls <c>SSL_ctrl(ssl, SSL_CTRL_MODE, SSL_MODE_RELEASE_BUFFERS, NULL)</c> (the macro
/// <c>SSL_set_mode</c>) once, right after the handshake, before the stream is used again. Anything unexpected
/// (another OS, another runtime layout, no libssl.so.3, an SSL_ctrl that does not take the mode) makes it do nothing,
/// for good: the connection works as before, only with the larger footprint; <see cref="TryApply"/> says why once.
/// </summary>
public static class OpenSslBufferRelease
{
    private const int SslCtrlMode = 33;                // SSL_CTRL_MODE: SSL_set_mode / SSL_get_mode
    public const long ReleaseBuffersMode = 0x10;       // SSL_MODE_RELEASE_BUFFERS
    private static readonly FieldInfo? SecurityContext =
        typeof(SslStream).GetField("_securityContext", BindingFlags.NonPublic | BindingFlags.Instance);
    private static string? s_unavailable = !OperatingSystem.IsLinux() ? "not Linux (no OpenSSL under SslStream)"
        : SecurityContext is null ? "this runtime's SslStream has no _securityContext field" : null;
    private static int s_told;

    /// <summary>
    /// Sets the mode on <paramref name="tls"/>'s SSL object (an authenticated server or client stream).
    /// Returns null when it is set, otherwise why not; the first time it cannot, <paramref name="unavailable"/> is
    /// called with the reason (later calls return at once).
    /// </summary>
    public static string? TryApply(SslStream tls, Action<string>? unavailable = null)
    {
        var why = Volatile.Read(ref s_unavailable);
        if (why is null)
        {
            long? mode;
            try { mode = Ctrl(tls, ReleaseBuffersMode, out why); }
            catch (ObjectDisposedException) { return "no TLS session (not authenticated, or closed)"; }   // this stream only
            if (mode is { } m && (m & ReleaseBuffersMode) != 0) return null;
            why ??= $"SSL_ctrl(SSL_CTRL_MODE) returned mode 0x{mode:x} without SSL_MODE_RELEASE_BUFFERS";
            Volatile.Write(ref s_unavailable, why);
        }
        if (Interlocked.Exchange(ref s_told, 1) == 0) unavailable?.Invoke(why);
        return why;
    }

    /// <summary>The SSL object's mode bits (<c>SSL_get_mode</c>), or null where the handle cannot be reached.
    /// Throws ObjectDisposedException for a stream with no TLS session.</summary>
    public static long? ModeOf(SslStream tls) => Ctrl(tls, 0, out _);

    /// <summary><c>SSL_ctrl(ssl, SSL_CTRL_MODE, add, NULL)</c>: adds <paramref name="add"/> to the mode and returns the
    /// mode after; null (and why) where the handle cannot be reached. Throws ObjectDisposedException for a stream with no
    /// TLS session (not authenticated yet, or closed).</summary>
    private static long? Ctrl(SslStream tls, long add, out string? why)
    {
        why = null;
        if (SecurityContext is null || !OperatingSystem.IsLinux())
        {
            why = "no OpenSSL handle on this platform or runtime";
            return null;
        }
        try
        {
            var context = SecurityContext.GetValue(tls);
            if (context is null or SafeHandle { IsInvalid: true })
                throw new ObjectDisposedException(nameof(SslStream), "no TLS session (not authenticated, or closed)");
            if (context is not SafeHandle handle
                || handle.GetType().FullName != "Microsoft.Win32.SafeHandles.SafeSslHandle")
            {
                why = $"SslStream._securityContext is {context.GetType().FullName}, not an OpenSSL SafeSslHandle";
                return null;
            }
            var added = false;
            handle.DangerousAddRef(ref added);
            try { return SSL_ctrl(handle.DangerousGetHandle(), SslCtrlMode, (nint)add, 0); }
            finally { if (added) handle.DangerousRelease(); }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or FieldAccessException
                                       or ArgumentException or BadImageFormatException)
        {
            why = $"{ex.GetType().Name}: {ex.Message}";
            return null;
        }
    }

    [DllImport("libssl.so.3", CallingConvention = CallingConvention.Cdecl)]
    private static extern nint SSL_ctrl(nint ssl, int cmd, nint larg, nint parg);
}

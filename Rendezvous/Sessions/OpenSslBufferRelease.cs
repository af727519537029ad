// Lets OpenSSL free a TLS connection's record buffers while it is idle (SSL_MODE_RELEASE_BUFFERS), which .NET does not set.
using System.Net.Security;
using System.Reflection;
using System.Runtime.InteropServices;

namespace P2PChat.Rendezvous.Sessions;

/// <summary>
/// On Linux, SslStream runs OpenSSL, whose SSL object keeps a read and a write record buffer of about 17 KiB each for
/// the life of the connection unless SSL_MODE_RELEASE_BUFFERS is set: ~34 KiB of native memory per idle connection,
/// more than everything else a session holds. .NET exposes neither the mode nor the SSL handle, so this reads the
/// handle from SslStream's private <c>_securityContext</c> (a <c>SafeSslHandle</c> whose handle is the <c>SSL*</c> on
/// .NET 9 and 10) and calls <c>SSL_ctrl(ssl, SSL_CTRL_MODE, SSL_MODE_RELEASE_BUFFERS, NULL)</c> once, right after the
/// handshake, before any other use. Anything unexpected (another OS, another runtime layout, no libssl.so.3) makes it
/// do nothing, for good: the connection works as before, only with the larger footprint.
/// </summary>
public static class OpenSslBufferRelease
{
    private const int SslCtrlMode = 33;
    private const nint SslModeReleaseBuffers = 0x10;
    private static readonly FieldInfo? SecurityContext =
        typeof(SslStream).GetField("_securityContext", BindingFlags.NonPublic | BindingFlags.Instance);
    private static volatile bool s_unavailable = !OperatingSystem.IsLinux() || SecurityContext is null;

    /// <summary>True when the mode is now set on <paramref name="tls"/>'s SSL object.</summary>
    public static bool TryApply(SslStream tls)
    {
        if (s_unavailable) return false;
        try
        {
            if (SecurityContext!.GetValue(tls) is not SafeHandle { IsInvalid: false } handle
                || handle.GetType().FullName != "Microsoft.Win32.SafeHandles.SafeSslHandle")
            {
                s_unavailable = true;
                return false;
            }
            var added = false;
            handle.DangerousAddRef(ref added);
            try { return (SSL_ctrl(handle.DangerousGetHandle(), SslCtrlMode, SslModeReleaseBuffers, 0) & SslModeReleaseBuffers) != 0; }
            finally { if (added) handle.DangerousRelease(); }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or FieldAccessException or ObjectDisposedException)
        {
            s_unavailable = true;
            return false;
        }
    }

    [DllImport("libssl.so.3", CallingConvention = CallingConvention.Cdecl)]
    private static extern nint SSL_ctrl(nint ssl, int cmd, nint larg, nint parg);
}

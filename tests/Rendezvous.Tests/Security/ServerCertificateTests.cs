// The server certificate: ECDSA P-256, made once, private to the owner, the same after a reload.
using System.Security.Cryptography.X509Certificates;
using P2PChat.Core.Framing;
using P2PChat.Rendezvous.Security;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Security;

public sealed class ServerCertificateTests
{
    [Fact]
    public void Created_once_then_reused()
    {
        using var dir = new TempDirectory();
        using var first = ServerCertificate.LoadOrCreate(dir.Path, TimeProvider.System);
        using var second = ServerCertificate.LoadOrCreate(dir.Path, TimeProvider.System);
        Assert.Equal(CertificateFingerprint.Of(first), CertificateFingerprint.Of(second));
        Assert.True(first.HasPrivateKey);
        using var key = first.GetECDsaPublicKey();
        Assert.Equal(256, key!.KeySize);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir.Path, ServerCertificate.FileName)));
    }

    [Fact]
    public void Another_data_folder_gets_another_certificate()
    {
        using var a = new TempDirectory();
        using var b = new TempDirectory();
        using var first = ServerCertificate.LoadOrCreate(a.Path, TimeProvider.System);
        using var second = ServerCertificate.LoadOrCreate(b.Path, TimeProvider.System);
        Assert.NotEqual(CertificateFingerprint.Of(first), CertificateFingerprint.Of(second));
    }
}

// The server's TLS identity: a self-signed ECDSA P-256 certificate kept as a PFX in the data folder.
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace P2PChat.Rendezvous.Security;

/// <summary>
/// Made on first start with <see cref="CertificateRequest"/> and saved as <c>server.pfx</c> (mode 0600) in the
/// data folder; reused afterwards, so peers that pinned its fingerprint keep trusting the server.
/// </summary>
public static class ServerCertificate
{
    public const string FileName = "server.pfx";

    /// <summary>Loads the certificate from <paramref name="dataDirectory"/>, creating it first if missing.</summary>
    public static X509Certificate2 LoadOrCreate(string dataDirectory, TimeProvider time)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(path)) Save(path, Create(time));
        // Re-imported from PFX bytes: on Linux SslStream needs a key it can reach, not an ephemeral in-memory one.
        return X509CertificateLoader.LoadPkcs12(File.ReadAllBytes(path), password: null);
    }

    private static byte[] Create(TimeProvider time)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=p2pchat-rendezvous", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = time.GetUtcNow();
        using var cert = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(20));
        return cert.Export(X509ContentType.Pkcs12);
    }

    private static void Save(string path, byte[] pfx)
    {
        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var file = new FileStream(temp, options))
        {
            file.Write(pfx);
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: false);
    }
}

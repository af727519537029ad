// Architecture rules of the crypto layer, checked over the source tree: one algorithm seam (NSec only in Core/Crypto/Primitives), no P-256 in P2PChat's protocol.
using Xunit;

namespace P2PChat.Core.Tests.Crypto;

public sealed class CryptoSeamTests
{
    private static readonly string[] ProductFolders = ["Core", "Peer", "Rendezvous"];

    [Fact]
    public void Only_core_crypto_primitives_references_nsec()
    {
        var offenders = ProductSources()
            .Where(f => !f.Relative.StartsWith("Core/Crypto/Primitives/", StringComparison.Ordinal))
            .Where(f => f.Text.Contains("NSec.", StringComparison.Ordinal))
            .Select(f => f.Relative)
            .ToList();
        Assert.Empty(offenders);
        Assert.Contains(ProductSources(), f => f.Relative.StartsWith("Core/Crypto/Primitives/", StringComparison.Ordinal) && f.Text.Contains("using NSec.Cryptography;"));
    }

    [Fact]
    public void No_p256_key_agreement_or_signature_is_left_in_the_product()
    {
        // The rendezvous server's TLS certificate (Rendezvous/Security) and the key its TLS engine hands OpenSSL
        // (Rendezvous/Tls) are the TLS layer's choice, not P2PChat's protocol suite.
        var offenders = ProductSources()
            .Where(f => !f.Relative.StartsWith("Rendezvous/Security/", StringComparison.Ordinal) && !f.Relative.StartsWith("Rendezvous/Tls/", StringComparison.Ordinal))
            .Where(f => f.Text.Contains("ECDiffieHellman", StringComparison.Ordinal) || f.Text.Contains("ECDsa", StringComparison.Ordinal)
                || f.Text.Contains("nistP256", StringComparison.Ordinal))
            .Select(f => f.Relative)
            .ToList();
        Assert.Empty(offenders);
    }

    private static IEnumerable<(string Relative, string Text)> ProductSources()
    {
        var root = RepositoryRoot();
        return ProductFolders
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories))
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Select(path => (Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/'), File.ReadAllText(path)));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "P2PChat.sln"))) return dir.FullName;
        throw new InvalidOperationException("P2PChat.sln not found above the test binaries");
    }
}

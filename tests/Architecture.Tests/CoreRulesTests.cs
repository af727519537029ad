// Rules the graph alone cannot say: what the lowest Core layers may not touch outside the product.
using Xunit;

namespace P2PChat.Architecture.Tests;

public sealed class CoreRulesTests
{
    private static readonly string[] SocketNamespaces = ["System.Net.Sockets", "System.Net.Security", "System.Net.Http", "System.Net.NetworkInformation"];

    [Theory]
    [InlineData("Core.Protocol")]
    [InlineData("Core.Crypto")]
    public void Wire_formats_and_cryptography_know_no_sockets(string module)
    {
        var offending = ProductArchitecture.NamespaceEdges
            .Where(e => InModule(e.From, module) && SocketNamespaces.Contains(e.To))
            .Select(e => $"{e.From} -> {e.To}").Distinct().Order().ToList();
        Assert.True(offending.Count == 0, $"{module} must not use sockets or TLS: " + string.Join(", ", offending));
    }

    [Fact]
    public void Core_knows_neither_executable()
    {
        var offending = ProductArchitecture.NamespaceEdges
            .Where(e => InModule(e.From, "Core") && (InModule(e.To, "Peer") || InModule(e.To, "Rendezvous")))
            .Select(e => $"{e.From} -> {e.To}").Distinct().ToList();
        Assert.Empty(offending);
    }

    private static bool InModule(string ns, string module) =>
        ns == "P2PChat." + module || ns.StartsWith("P2PChat." + module + ".", StringComparison.Ordinal);
}

// Where the built p2pchat and p2pchat-rendezvous programs are: copied next to this test assembly by the project references.
using Xunit;

namespace P2PChat.EndToEnd.Tests.Processes;

public static class BuiltPrograms
{
    public static string Peer => Find("p2pchat.dll");
    public static string Server => Find("p2pchat-rendezvous.dll");

    private static string Find(string dll)
    {
        var path = Path.Combine(AppContext.BaseDirectory, dll);
        foreach (var needed in new[] { path, Path.ChangeExtension(path, ".runtimeconfig.json"), Path.ChangeExtension(path, ".deps.json") })
            if (!File.Exists(needed)) Assert.Fail($"{needed} is missing: build tests/EndToEnd.Tests (it references Peer and Rendezvous)");
        return path;
    }
}

// Where the p2pchat and p2pchat-rendezvous programs the tests run are: copied next to this test assembly by the project
// references, or the peer's ReadyToRun publish that scripts/test.sh names.
using Xunit;

namespace P2PChat.EndToEnd.Tests.Processes;

public static class BuiltPrograms
{
    /// <summary>The peer: the program named by P2PCHAT_PEER_DLL when set (scripts/test.sh sets it to the ReadyToRun
    /// publish, so the suite runs the peer as deployed; scripts/programs.sh), else the build copied next to the tests.</summary>
    public static string Peer => Environment.GetEnvironmentVariable("P2PCHAT_PEER_DLL") is { Length: > 0 } published
        ? Check(published)
        : Find("p2pchat.dll");
    public static string Server => Find("p2pchat-rendezvous.dll");

    private static string Find(string dll) => Check(Path.Combine(AppContext.BaseDirectory, dll));

    private static string Check(string path)
    {
        foreach (var needed in new[] { path, Path.ChangeExtension(path, ".runtimeconfig.json"), Path.ChangeExtension(path, ".deps.json") })
            if (!File.Exists(needed)) Assert.Fail($"{needed} is missing: build tests/EndToEnd.Tests (it references Peer and Rendezvous), or publish the program named by P2PCHAT_PEER_DLL (scripts/programs.sh)");
        return path;
    }
}

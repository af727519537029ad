// Where the p2pchat and p2pchat-rendezvous programs the tests run are: copied next to this test assembly by the project
// references, or the peer as deployed that scripts/test.sh names (its native AOT executable, or a ReadyToRun publish).
using Xunit;

namespace P2PChat.EndToEnd.Tests.Processes;

/// <summary>How to start a program: <see cref="Words"/> come before its arguments (<c>dotnet X.dll</c>, or a native executable).</summary>
public sealed record ProgramCommand(IReadOnlyList<string> Words)
{
    /// <summary>The words quoted for sh (tmux runs its command through the shell).</summary>
    public string Shell => string.Join(' ', Words.Select(Quote));

    public static string Quote(string word) => "'" + word.Replace("'", "'\\''") + "'";

    public override string ToString() => Shell;
}

public static class BuiltPrograms
{
    /// <summary>P2PCHAT_PEER_EXE: a native executable of the peer (scripts/test.sh sets it to the AOT publish, so the
    /// suite runs the peer as deployed; scripts/programs.sh).</summary>
    public const string PeerExeVariable = "P2PCHAT_PEER_EXE";

    /// <summary>P2PCHAT_PEER_DLL: a .dll of the peer to run with dotnet (scripts/test.sh: the ReadyToRun publish where
    /// AOT cannot be built, or the plain build under P2PCHAT_JIT=1).</summary>
    public const string PeerDllVariable = "P2PCHAT_PEER_DLL";

    /// <summary>The peer: the executable named by <see cref="PeerExeVariable"/>, else the .dll named by
    /// <see cref="PeerDllVariable"/>, else the build copied next to the tests.</summary>
    public static ProgramCommand Peer =>
        Environment.GetEnvironmentVariable(PeerExeVariable) is { Length: > 0 } exe ? new([CheckExe(exe)])
        : Environment.GetEnvironmentVariable(PeerDllVariable) is { Length: > 0 } published ? Dotnet(CheckDll(published))
        : Dotnet(Find("p2pchat.dll"));

    public static ProgramCommand Server => Dotnet(Find("p2pchat-rendezvous.dll"));

    private static ProgramCommand Dotnet(string dll) => new(["dotnet", dll]);

    private static string Find(string dll) => CheckDll(Path.Combine(AppContext.BaseDirectory, dll));

    private static string CheckDll(string path)
    {
        foreach (var needed in new[] { path, Path.ChangeExtension(path, ".runtimeconfig.json"), Path.ChangeExtension(path, ".deps.json") })
            if (!File.Exists(needed)) Assert.Fail($"{needed} is missing: build tests/EndToEnd.Tests (it references Peer and Rendezvous), or publish the program named by {PeerDllVariable} (scripts/programs.sh)");
        return path;
    }

    private static string CheckExe(string path)
    {
        if (!File.Exists(path) || !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) == 0)
            Assert.Fail($"{path} is missing or not executable: publish the peer named by {PeerExeVariable} (scripts/programs.sh)");
        return path;
    }
}

// The one rule for tests that need something from the machine: skip with the reason locally, fail under CI=true.
using Xunit;

namespace P2PChat.TestSupport;

public static class Require
{
    public static bool IsCi => string.Equals(System.Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static bool IsRoot => System.Environment.UserName == "root" || (OperatingSystem.IsLinux() && geteuid() == 0);

    /// <summary>Skips the test with <paramref name="why"/> unless <paramref name="condition"/> holds; under CI=true, fails instead.</summary>
    public static void That(bool condition, string why)
    {
        if (condition) return;
        if (IsCi) Assert.Fail($"required in CI: {why}");
        Assert.Skip(why);
    }

    public static void Root(string forWhat) => That(IsRoot, $"needs root for {forWhat}");

    /// <summary>True when <paramref name="program"/> is on PATH.</summary>
    public static bool HasProgram(string program) =>
        (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(System.IO.Path.Combine(dir, program)));

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern uint geteuid();
}

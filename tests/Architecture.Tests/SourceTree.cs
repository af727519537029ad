// Finds the checkout the tests were built from, so source-level rules can read its files.
namespace P2PChat.Architecture.Tests;

public static class SourceTree
{
    /// <summary>The folder holding P2PChat.sln, found by walking up from the test binaries.</summary>
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "P2PChat.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no P2PChat.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>The C# files of a project folder, build output left out.</summary>
    public static IEnumerable<string> CsFiles(string project) =>
        Directory.EnumerateFiles(Path.Combine(Root, project), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"));
}

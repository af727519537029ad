// One namespace per folder: a product file's namespace is its project's root namespace plus its folder path.
using System.Text.RegularExpressions;
using Xunit;

namespace P2PChat.Architecture.Tests;

public sealed partial class NamespacePerFolderTests
{
    [Theory]
    [InlineData("Core", "P2PChat.Core")]
    [InlineData("Peer", "P2PChat.Peer")]
    [InlineData("Rendezvous", "P2PChat.Rendezvous")]
    public void Each_file_declares_the_namespace_of_its_folder(string project, string rootNamespace)
    {
        var wrong = new List<string>();
        foreach (var file in SourceTree.CsFiles(project))
        {
            var folder = Path.GetRelativePath(Path.Combine(SourceTree.Root, project), Path.GetDirectoryName(file)!);
            var expected = folder == "." ? rootNamespace : rootNamespace + "." + folder.Replace(Path.DirectorySeparatorChar, '.');
            var declared = FileScopedNamespace().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value).ToList();
            if (declared.Count == 0 && Path.GetFileName(file) == "Program.cs") continue;   // top-level statements
            if (declared.Count != 1 || declared[0] != expected)
                wrong.Add($"{Path.GetRelativePath(SourceTree.Root, file)}: declares {(declared.Count == 0 ? "no namespace" : string.Join(", ", declared))}, folder says {expected}");
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [GeneratedRegex(@"^namespace\s+([\w.]+)\s*[;{]", RegexOptions.Multiline)]
    private static partial Regex FileScopedNamespace();
}

// docs/architecture.md shows the graph the tests enforce, line for line.
using Xunit;

namespace P2PChat.Architecture.Tests;

public sealed class ArchitectureDocTests
{
    [Fact]
    public void The_document_shows_every_line_of_the_graph_and_every_debt()
    {
        var doc = File.ReadAllLines(Path.Combine(SourceTree.Root, "docs", "architecture.md")).Select(l => l.Trim()).ToHashSet();
        var missing = DependencyGraph.Lines
            .Concat(DependencyGraph.KnownDebts.Select(d => $"{d.From} -> {d.To}  (debt: {d.Why})"))
            .Where(line => !doc.Contains(line)).ToList();
        Assert.True(missing.Count == 0, "docs/architecture.md lacks these lines of the dependency graph:\n" + string.Join("\n", missing));
    }
}

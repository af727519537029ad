// Every real dependency between product modules is one the graph allows; the graph has no cycle; debts only shrink.
using Xunit;

namespace P2PChat.Architecture.Tests;

public sealed class LayeringTests
{
    private static IEnumerable<(string From, string To)> ModuleEdges() => ProductArchitecture.NamespaceEdges
        .Where(e => e.To.StartsWith(ProductArchitecture.Root, StringComparison.Ordinal))
        .Select(e => (From: DependencyGraph.ModuleOf(e.From), To: DependencyGraph.ModuleOf(e.To)))
        .Where(e => e.From != e.To)
        .Distinct();

    [Fact]
    public void Every_module_is_in_the_graph()
    {
        var modules = ProductArchitecture.NamespaceEdges.SelectMany(e => new[] { e.From, e.To })
            .Where(n => n.StartsWith(ProductArchitecture.Root, StringComparison.Ordinal))
            .Select(DependencyGraph.ModuleOf).Distinct();
        var missing = modules.Where(m => !DependencyGraph.Allowed.ContainsKey(m)).Order().ToList();
        Assert.True(missing.Count == 0,
            $"modules not in DependencyGraph.Lines (add each with what it may use, and to docs/architecture.md): {string.Join(", ", missing)}");
    }

    [Fact]
    public void Every_dependency_points_the_way_the_graph_allows()
    {
        var debts = DependencyGraph.KnownDebts.Select(d => (d.From, d.To)).ToHashSet();
        var wrong = ModuleEdges()
            .Where(e => DependencyGraph.Allowed.ContainsKey(e.From) && !DependencyGraph.Allows(e.From, e.To) && !debts.Contains(e))
            .Select(e => $"{e.From} -> {e.To}  ({Example(e)})")
            .Order().ToList();
        Assert.True(wrong.Count == 0, "dependencies the graph does not allow:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public void The_graph_has_no_cycle()
    {
        // Depth-first search over the allowed edges, patterns expanded over the modules the graph names.
        var modules = DependencyGraph.Allowed.Keys.ToList();
        var state = modules.ToDictionary(m => m, _ => 0);   // 0 unvisited, 1 on the stack, 2 done
        var path = new List<string>();
        string? cycle = null;
        void Visit(string m)
        {
            if (cycle is not null) return;
            state[m] = 1;
            path.Add(m);
            foreach (var next in modules.Where(n => n != m && DependencyGraph.Allows(m, n)))
            {
                if (state[next] == 1) { cycle = string.Join(" -> ", path.SkipWhile(p => p != next).Append(next)); return; }
                if (state[next] == 0) Visit(next);
                if (cycle is not null) return;
            }
            path.RemoveAt(path.Count - 1);
            state[m] = 2;
        }
        foreach (var m in modules.Where(m => state[m] == 0)) Visit(m);
        Assert.True(cycle is null, $"the allowed graph has a cycle: {cycle}");
    }

    [Fact]
    public void Every_known_debt_is_still_owed()
    {
        var edges = ModuleEdges().ToHashSet();
        var paid = DependencyGraph.KnownDebts.Where(d => !edges.Contains((d.From, d.To))).Select(d => $"{d.From} -> {d.To}").ToList();
        Assert.True(paid.Count == 0, "these debts are paid: remove them from DependencyGraph.KnownDebts: " + string.Join(", ", paid));
    }

    private static string Example((string From, string To) edge)
    {
        foreach (var type in ProductArchitecture.Loaded.Types)
        {
            if (DependencyGraph.ModuleOf(type.Namespace.FullName) != edge.From) continue;
            var target = type.Dependencies.Select(d => d.Target)
                .FirstOrDefault(t => t.Namespace.FullName.StartsWith(ProductArchitecture.Root, StringComparison.Ordinal)
                                     && DependencyGraph.ModuleOf(t.Namespace.FullName) == edge.To);
            if (target is not null) return $"{type.FullName} uses {target.FullName}";
        }
        return "no example found";
    }
}

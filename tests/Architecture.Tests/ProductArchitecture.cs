// Loads the product assemblies once and reduces their type dependencies to edges between namespaces.
using ArchUnitNET.Domain;
using ArchUnitNET.Loader;

namespace P2PChat.Architecture.Tests;

/// <summary>The product code (Core, Peer, Rendezvous) as ArchUnitNET sees it in the built assemblies.</summary>
public static class ProductArchitecture
{
    public const string Root = "P2PChat.";

    public static readonly ArchUnitNET.Domain.Architecture Loaded = new ArchLoader()
        .LoadAssemblies(
            typeof(P2PChat.Core.Protocol.Opcode).Assembly,
            typeof(P2PChat.Peer.Commands.CommandDispatcher).Assembly,
            typeof(P2PChat.Rendezvous.Commands.CommandDispatcher).Assembly)
        .Build();

    /// <summary>Every (from, to) pair of distinct product namespaces where a type in one uses a type in the other.</summary>
    public static IReadOnlyCollection<(string From, string To)> NamespaceEdges { get; } = ComputeEdges();

    private static HashSet<(string, string)> ComputeEdges()
    {
        var edges = new HashSet<(string, string)>();
        foreach (var type in Loaded.Types)
        {
            var from = type.Namespace?.FullName;
            if (from is null || !from.StartsWith(Root, StringComparison.Ordinal)) continue;
            foreach (var dependency in type.Dependencies)
            {
                // Some targets have no namespace in ArchUnitNET's model (function pointers, generated interop stubs).
                var to = dependency.Target?.Namespace?.FullName;
                if (to is not null && to != from) edges.Add((from, to));
            }
        }
        return edges;
    }
}

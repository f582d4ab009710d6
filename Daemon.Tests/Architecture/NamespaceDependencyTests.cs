using GradientNode.Core.Engine;
using NUnit.Framework;

namespace GradientNode.Tests.Architecture;

/// <summary>
/// The namespaces of GradientNode.Core (Agent.Core) depend one way only: a namespace uses only namespaces in lower
/// layers. <see cref="Layers"/> mirrors the table in CONTRIBUTING.md ("Namespace layers"); change both together.
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class NamespaceDependencyTests
{
    private const string Root = "GradientNode.Core";

    /// <summary>Layer of each namespace (first segment under GradientNode.Core), lowest first.</summary>
    private static readonly Dictionary<string, int> Layers = new(StringComparer.Ordinal)
    {
        ["Common"] = 0,
        ["Engine"] = 1,
        ["Specs"] = 1,
        ["Secrets"] = 2,
        ["Datasets"] = 2,
        ["Catalog"] = 2,
        ["Gpus"] = 2,
        ["Health"] = 2,
        ["Traffic"] = 2,
        ["Networking"] = 2,
        ["Registries"] = 3,
        ["Status"] = 3,
        ["Integrations"] = 4,
        ["Autoscaling"] = 4,
        ["Reconciliation"] = 5,
        ["Routing"] = 6,
        ["Workflows"] = 7,
        ["Export"] = 8,
    };

    private static NamespaceGraph Graph => NamespaceGraph.Build(typeof(ContainerLabels).Assembly, Root);

    [Test]
    public void Build_CoreAssembly_EveryNamespaceHasALayer()
    {
        var graph = Graph;
        TestContext.Out.WriteLine(graph.ToString());
        var missing = graph.Edges.Keys.Concat(graph.Edges.Values.SelectMany(v => v)).Distinct().Where(n => !Layers.ContainsKey(n));
        Assert.That(missing, Is.Empty, "a new namespace: give it a layer here and in CONTRIBUTING.md");
    }

    [Test]
    public void Build_CoreAssembly_NoEdgePointsUpOrSideways()
    {
        var graph = Graph;
        TestContext.Out.WriteLine(graph.ToString());
        var forbidden = graph.EdgeList()
            .Where(edge =>
            {
                var (from, to) = Split(edge);
                return Layers.TryGetValue(from, out var f) && Layers.TryGetValue(to, out var t) && t >= f;
            });
        Assert.That(forbidden, Is.Empty, "these namespaces may not use each other (see CONTRIBUTING.md, Namespace layers)");
    }

    private static (string From, string To) Split(string edge)
    {
        var parts = edge.Split(" -> ");
        return (parts[0], parts[1]);
    }
}

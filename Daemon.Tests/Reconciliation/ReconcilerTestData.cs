using System.Collections.Immutable;
using GradientNode.Core.Catalog;
using GradientNode.Core.Common;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Specs;

namespace GradientNode.Tests.Reconciliation;

/// <summary>Specs, replicas and plans for the unit tests of the reconciler's rooms.</summary>
internal static class ReconcilerTestData
{
    public static DeploymentSpec Spec(string extra = "", int replicas = 1) => SpecParser.Parse("/specs/web.yaml", $"""
        name: web
        image: registry.example/web:1
        {extra}
        resources:
          machineType: C4
          ports: [8080]
          replicas: {replicas}
        """).Spec!;

    public static CatalogEntry Entry(DeploymentSpec spec) =>
        new(spec.Slug, spec.Name, "/specs/web.yaml", spec, EquatableArray<SpecError>.Empty, EquatableArray<string>.Empty);

    public static ObservedReplica Replica(int index, string hash, bool ready = true, bool running = true, IReadOnlyList<string>? gpus = null) => new()
    {
        ContainerId = $"c{index}-{hash}",
        ContainerName = $"web-{index}",
        Index = index,
        SpecHash = hash,
        Running = running,
        State = running ? "running" : "exited",
        Ready = ready,
        Gpus = gpus ?? [],
    };

    public static ReconcilePlan Plan(params PlanStep[] steps) => new([.. steps]);

    public static ImmutableArray<PlanStep> None => [];
}

using GradientNode.Core.Catalog;
using GradientNode.Core.Common;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Specs;
using GradientNode.Core.Status;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

/// <summary>A broken spec file whose last good copy is damaged too: the status says there is no last good version.</summary>
internal sealed partial class StatusBuilderTests
{
    private const string LastGoodProblem = "last-good/hello.yaml does not parse: line 3, column 8";

    [Test]
    public void Build_NoSpecAndLastGoodCopyDamagedWithReplicasRunning_SaysNoLastGoodVersionAndThatTheyAreLeftAlone()
    {
        var entry = new CatalogEntry("hello", "hello", File, null, new EquatableArray<SpecError>([new SpecError(File, 3, 1, "unknown key 'imag'")]), EquatableArray<string>.Empty)
        {
            LastGoodProblem = LastGoodProblem,
        };

        var status = StatusBuilder.Build(Input(entry, DesiredReplicas.None("invalid"), [Live(0, OldHash), Live(1, OldHash)]));

        Assert.Multiple(() =>
        {
            Assert.That(status.State, Is.EqualTo(DeploymentState.Invalid));
            Assert.That(status.Message, Is.EqualTo($"spec file has 1 error and its last good copy is damaged ({LastGoodProblem}): no last good version to keep serving; 2 replicas of the version before left as they are (not replaced, not restarted) until it is fixed"));
            Assert.That(status.Replicas, Has.Count.EqualTo(2));
        });
    }

    [Test]
    public void Build_NoSpecAndLastGoodCopyDamagedNothingRunning_SaysNothingRuns()
    {
        var entry = new CatalogEntry("hello", "hello", File, null, new EquatableArray<SpecError>([new SpecError(File, 3, 1, "x")]), EquatableArray<string>.Empty)
        {
            LastGoodProblem = LastGoodProblem,
        };

        var status = StatusBuilder.Build(Input(entry, DesiredReplicas.None("invalid"), []));

        Assert.That(status.Message, Is.EqualTo($"spec file has 1 error and its last good copy is damaged ({LastGoodProblem}): no last good version to keep serving; nothing runs until it is fixed"));
    }
}

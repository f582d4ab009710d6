using GradientNode.Core.Reconciliation;
using GradientNode.Core.Status;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

/// <summary>A failed rollout's deployment message.</summary>
internal sealed partial class StatusBuilderTests
{
    [Test]
    public void Build_ProbesRolloutFailed_MessageSaysWhyItRolls()
    {
        var old = Live(0, Hash) with { ProbesOutdated = true };
        var stuck = Live(0, Hash, ready: false) with { ContainerId = "id-0-new" };
        var rollout = new RolloutStatus("Failed", Hash, [Hash], Now.AddMinutes(-11), "no new replica became ready within the progress deadline (600 s); the old version keeps serving; new replica 0: readiness probe: GET /healthz-typo answered 404")
        {
            Reason = "replacing replicas created before healthChecks changed",
        };

        var status = StatusBuilder.Build(Input(Entry(Spec), new DesiredReplicas(1, Hash) { ProbesHash = "p2" }, [old, stuck]) with { Rollout = rollout });

        // Before: the same spec hash rolled with no word of why in the message; only rollout.reason and the old replica's drift said it.
        Assert.Multiple(() =>
        {
            Assert.That(status.State, Is.EqualTo(DeploymentState.Degraded));
            Assert.That(status.Message, Is.EqualTo($"RolloutFailed: {rollout.Message}; the rollout is replacing replicas created before healthChecks changed"));
        });
    }
}

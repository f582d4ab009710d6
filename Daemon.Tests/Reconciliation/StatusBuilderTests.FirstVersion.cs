using GradientNode.Core.Reconciliation;
using GradientNode.Core.Status;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

/// <summary>A first version that never gets a ready replica: Failed past the progress deadline, still tried.</summary>
internal sealed partial class StatusBuilderTests
{
    private static readonly ObservedReplica Deaf = Live(0, Hash, ready: false) with { NotReadyReason = PortCheckFailure.Refused(8080) };

    [Test]
    public void Build_FirstVersionNotReadyPastTheProgressDeadline_FailedSayingSoAndWhy()
    {
        var input = Input(Entry(Spec), new DesiredReplicas(1, Hash), [Deaf]) with { NeverReadySince = Now.AddMinutes(-11) };

        var status = StatusBuilder.Build(input);

        Assert.Multiple(() =>
        {
            Assert.That(status.State, Is.EqualTo(DeploymentState.Failed));
            Assert.That(status.Message, Is.EqualTo(
                "no replica became ready within the progress deadline (600 s), still trying: 0/1 replicas ready; replica 0 not ready: port 8080 refuses connections (waiting for a server in the container to listen on it, on 0.0.0.0)"));
        });
    }

    [Test]
    public void Build_FirstVersionNotReadyWithinTheProgressDeadline_StillProgressing()
    {
        var input = Input(Entry(Spec), new DesiredReplicas(1, Hash), [Deaf]) with { NeverReadySince = Now.AddMinutes(-9) };

        Assert.That(StatusBuilder.Build(input).State, Is.EqualTo(DeploymentState.Progressing));
    }

    [Test]
    public void Build_FirstVersionPastTheDeadlineWhileItsImageIsPulled_StillProgressing()
    {
        var input = Input(Entry(Spec), new DesiredReplicas(1, Hash), []) with
        {
            NeverReadySince = Now.AddMinutes(-30),
            Pull = new PullStatus { Image = "big/model:1" },
        };

        Assert.That(StatusBuilder.Build(input).State, Is.EqualTo(DeploymentState.Progressing));
    }

    [Test]
    public void Build_PastTheDeadlineWithAReplicaReady_NotFailed()
    {
        var input = Input(Entry(Spec), new DesiredReplicas(2, Hash), [Live(1, Hash), Deaf]) with { NeverReadySince = Now.AddMinutes(-30) };

        Assert.That(StatusBuilder.Build(input).State, Is.EqualTo(DeploymentState.Progressing));
    }

    [Test]
    public void Build_IntegrationBeingFetched_ProgressingMessageSaysHowFarItGot()
    {
        var fetching = new VolumeStatus
        {
            Field = "integrations[weights]",
            Kind = "fetched",
            MountPath = "/opt/weights",
            ReadOnly = true,
            State = "fetching",
            BytesDone = 512_000_000,
            BytesTotal = 1_500_000_000,
            FilesDone = 1,
            FilesTotal = 3,
        };
        var input = Input(Entry(Spec), new DesiredReplicas(1, Hash), []) with { Volumes = [fetching] };

        var status = StatusBuilder.Build(input);

        Assert.Multiple(() =>
        {
            Assert.That(status.State, Is.EqualTo(DeploymentState.Progressing));
            Assert.That(status.Message, Is.EqualTo("0/1 replicas ready; fetching integrations[weights] 512.0 MB of 1500.0 MB (1/3 files)"));
        });
    }
}

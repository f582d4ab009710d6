using GradientNode.Core.Reconciliation;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

/// <summary>When a replica's container last changed state, from Docker's times: known after a daemon restart too.</summary>
internal sealed partial class StatusBuilderTests
{
    [Test]
    public void Build_ContainerTimesFromDocker_StateChangedAtIsTheLatestOfCreatedStartedAndFinished()
    {
        var started = Live(0, Hash) with { Created = Now.AddMinutes(-9), StartedAt = Now.AddMinutes(-8), FinishedAt = Now.AddMinutes(-20) };
        var exited = Live(1, Hash) with { Running = false, State = "exited", Created = Now.AddMinutes(-9), StartedAt = Now.AddMinutes(-8), FinishedAt = Now.AddMinutes(-2) };
        var onlyCreated = Live(2, Hash) with { Created = Now.AddMinutes(-1) };
        var noTimes = Live(3, Hash) with { Created = default };

        var status = StatusBuilder.Build(Input(Entry(Spec), new DesiredReplicas(4, Hash), [started, exited, onlyCreated, noTimes]));

        Assert.That(status.Replicas.OrderBy(r => r.Index).Select(r => r.StateChangedAt), Is.EqualTo(new DateTimeOffset?[]
        {
            Now.AddMinutes(-8), Now.AddMinutes(-2), Now.AddMinutes(-1), null,
        }));
    }
}

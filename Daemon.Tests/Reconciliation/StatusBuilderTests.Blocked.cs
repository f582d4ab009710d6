using GradientNode.Core.Reconciliation;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

/// <summary><c>blocked</c>: set from an error only, never from waiting (a pull, a probe), and never for a deployment that wants nothing.</summary>
internal sealed partial class StatusBuilderTests
{
    [Test]
    public void Build_NoErrorWhileProgressing_NothingBlocked()
    {
        var status = StatusBuilder.Build(Input(Entry(Spec), new DesiredReplicas(2, Hash), [Live(0, OldHash), Live(1, Hash, ready: false)]));

        Assert.That(status.Blocked, Is.Null);
    }

    [Test]
    public void Build_ErrorButNothingWanted_NothingBlocked()
    {
        var status = StatusBuilder.Build(Input(Entry(Spec), DesiredReplicas.None("disabled"), [], error: "secret gone"));

        Assert.That(status.Blocked, Is.Null);
    }
}

using GradientNode.Core.Status;
using NUnit.Framework;

namespace GradientNode.Tests.Status;

[TestFixture]
[Category("Unit")]
internal sealed class StatusStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void Set_NewStatus_RaisesChangedWithTheNewVersion()
    {
        var store = new StatusStore();
        var raised = new List<long>();
        store.Changed += raised.Add;

        store.Set("hello", Status(DeploymentState.Progressing));

        Assert.That(raised, Is.EqualTo(new[] { 1L }));
        Assert.That(store.Version, Is.EqualTo(1));
        Assert.That(store.Get("hello")!.State, Is.EqualTo(DeploymentState.Progressing));
    }

    [Test]
    public void Set_RealChange_RaisesChangedAndIncrementsVersion()
    {
        var store = new StatusStore();
        store.Set("hello", Status(DeploymentState.Progressing));
        var raised = new List<long>();
        store.Changed += raised.Add;

        store.Set("hello", Status(DeploymentState.Ready));

        Assert.That(raised, Is.EqualTo(new[] { 2L }));
        Assert.That(store.Version, Is.EqualTo(2));
    }

    [Test]
    public void Set_OnlyObservedAtDiffers_DoesNotRaiseButKeepsTheNewSnapshot()
    {
        var store = new StatusStore();
        store.Set("hello", Status(DeploymentState.Ready));
        var raised = new List<long>();
        store.Changed += raised.Add;

        store.Set("hello", Status(DeploymentState.Ready) with { ObservedAt = Now.AddMinutes(1) });

        Assert.That(raised, Is.Empty);
        Assert.That(store.Version, Is.EqualTo(1));
        Assert.That(store.Get("hello")!.ObservedAt, Is.EqualTo(Now.AddMinutes(1)));
    }

    [Test]
    public void Set_InstanceListChanged_RaisesChanged()
    {
        var store = new StatusStore();
        store.Set("hello", Status(DeploymentState.Ready));
        var raised = new List<long>();
        store.Changed += raised.Add;

        store.Set("hello", Status(DeploymentState.Ready) with
        {
            Replicas = [new ReplicaStatus { Id = "hello-0", Index = 0, Container = "c", ContainerId = "id", State = "running", Ready = true, SpecHash = "h" }],
        });

        Assert.That(raised, Has.Count.EqualTo(1));
    }

    [Test]
    public void Set_NullForKnownSlug_RemovesAndRaisesChanged()
    {
        var store = new StatusStore();
        store.Set("hello", Status(DeploymentState.Ready));
        var raised = new List<long>();
        store.Changed += raised.Add;

        store.Set("hello", null);

        Assert.That(raised, Is.EqualTo(new[] { 2L }));
        Assert.That(store.Get("hello"), Is.Null);
        Assert.That(store.All, Is.Empty);
    }

    [Test]
    public void Set_NullForUnknownSlug_DoesNothing()
    {
        var store = new StatusStore();
        var raised = new List<long>();
        store.Changed += raised.Add;

        store.Set("ghost", null);

        Assert.That(raised, Is.Empty);
        Assert.That(store.Version, Is.Zero);
    }

    [Test]
    public void All_SeveralSlugs_OrderedBySlug()
    {
        var store = new StatusStore();
        store.Set("zeta", Status(DeploymentState.Ready) with { Slug = "zeta" });
        store.Set("alpha", Status(DeploymentState.Ready) with { Slug = "alpha" });

        Assert.That(store.All.Select(s => s.Slug), Is.EqualTo(new[] { "alpha", "zeta" }));
        Assert.That(store.Version, Is.EqualTo(2));
    }

    private static DeploymentStatus Status(DeploymentState state) => new()
    {
        Name = "hello",
        Slug = "hello",
        State = state,
        Message = state.ToString(),
        DesiredReplicas = 1,
        ObservedAt = Now,
    };
}

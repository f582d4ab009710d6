using System.Text.Json;
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
    public void SetWaitingReason_NoStatusYet_IsKeptUntilAStatusComesAndIsNoChange()
    {
        var store = new StatusStore();
        var raised = new List<long>();
        store.Changed += raised.Add;

        store.SetWaitingReason("hello", "cannot reach the Docker engine: no socket file there");

        Assert.Multiple(() =>
        {
            Assert.That(store.WaitingReason("hello"), Is.EqualTo("cannot reach the Docker engine: no socket file there"));
            Assert.That(store.All, Is.Empty, "no status: the route table keeps what it had");
            Assert.That(raised, Is.Empty);
        });

        store.Set("hello", Status(DeploymentState.Ready));
        store.SetWaitingReason("hello", "too late");

        Assert.That(store.WaitingReason("hello"), Is.Null, "a status clears it, and one that has a status takes none");
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

    [Test]
    public void Set_FiftyDeployments_RetainsAHashNotTheJsonOfEach()
    {
        // Issue 20 (memory per deployment): what tells a change is kept per deployment as 16 bytes, not as the JSON.
        var statuses = Enumerable.Range(0, 50).Select(Large).ToList();
        var jsonBytes = statuses.Sum(s => JsonSerializer.Serialize(s, StatusJsonContext.Default.DeploymentStatus).Length * sizeof(char));
        // GC.GetTotalMemory is the whole process's: a background thread left by an earlier test (a timer, a finalizer)
        // can allocate between the two readings. That only adds, so the least of three fresh stores is the store's own.
        var retained = Enumerable.Range(0, 3).Min(_ => Retained(statuses));
        TestContext.Out.WriteLine($"store of 50 statuses retains {retained} bytes beyond the statuses; their JSON as strings: {jsonBytes} bytes");

        // The store's own: the sorted map, the hashes and one reused serialisation buffer (it grows to the largest status).
        Assert.That(jsonBytes, Is.GreaterThan(200_000), "statuses big enough that keeping their JSON would show");
        Assert.That(retained, Is.LessThan(64 * 1024));
    }

    private static long Retained(List<DeploymentStatus> statuses)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var store = new StatusStore();
        foreach (var status in statuses)
        {
            store.Set(status.Slug, status);
        }

        var retained = GC.GetTotalMemory(forceFullCollection: true) - before;
        GC.KeepAlive(store);
        GC.KeepAlive(statuses);
        return retained;
    }

    private static DeploymentStatus Large(int i) => Status(DeploymentState.Ready) with
    {
        Name = $"deployment-{i}",
        Slug = $"deployment-{i}",
        Replicas = [.. Enumerable.Range(0, 3).Select(r => new ReplicaStatus
        {
            Id = $"deployment-{i}-{r}",
            Index = r,
            Container = $"gradient-deployment-{i}-{r}-0123456789ab",
            ContainerId = new string('a', 64),
            State = "running",
            Ready = true,
            SpecHash = new string('b', 64),
            LastLogLines = [.. Enumerable.Range(0, 10).Select(l => $"line {l}: GET /healthz 200 in 1 ms from 172.17.0.1 (a typical access log line)")],
        })],
    };

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

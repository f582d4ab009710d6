using GradientNode.Core.Routing;
using GradientNode.Core.Status;
using NUnit.Framework;

namespace GradientNode.Tests.Routing;

/// <summary>
/// Why a route is off, carried to the proxy (proxy19): before, a deployment scaled to 0 (<c>enabled: true</c>) got the
/// same route as one with <c>enabled: false</c>, and the proxy answered "is disabled" for both.
/// </summary>
internal sealed partial class RoutePublisherTests
{
    [TestCase("enabled: false", null)]
    [TestCase("enabled: true\nresources:\n  replicas: 0\n  machineType: C4\n  ports: [8080]", OffReason.ScaledToZero)]
    public async Task Publish_DeploymentOffOnPurpose_RouteSaysWhy(string extra, string? expected)
    {
        var text = extra.Contains("resources:", StringComparison.Ordinal)
            ? $"name: off\nimage: nginx:1\n{extra}\n"
            : Spec("off", extra);
        var (publisher, store, statuses, _) = await NewAsync(("off.yaml", text));
        statuses.Set("off", Status("off", replicas: 0) with { State = DeploymentState.Disabled, Enabled = false });

        publisher.Publish();

        Assert.That(Route(store, "off"), Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(Route(store, "off")!.Enabled, Is.False);
            Assert.That(Route(store, "off")!.Off, Is.EqualTo(expected));
        });
    }

    [Test]
    public async Task Publish_DisabledThenScaledToZero_WritesTheTableAgainWithTheNewReason()
    {
        var (publisher, store, statuses, specs) = await NewAsync(("off.yaml", Spec("off", "enabled: false")));
        statuses.Set("off", Status("off", replicas: 0) with { State = DeploymentState.Disabled, Enabled = false });
        publisher.Publish();
        var before = store.LastGood.Version;

        // Same replicas (none), same enabled (false), same protection: only the reason changed.
        await specs.WriteAsync(Path.Combine(_specs, "off.yaml"), "name: off\nimage: nginx:1\nresources:\n  replicas: 0\n  machineType: C4\n  ports: [8080]\n", CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(1));
        publisher.Publish();

        Assert.Multiple(() =>
        {
            Assert.That(store.LastGood.Version, Is.GreaterThan(before), "the table was written again");
            Assert.That(Route(store, "off")?.Off, Is.EqualTo(OffReason.ScaledToZero));
        });
    }

    [Test]
    public async Task Publish_SpecFileRemovedWhileReplicasDrain_RouteSaysBeingRemoved()
    {
        var (publisher, store, statuses, specs) = await NewAsync(("gone.yaml", Spec("gone", string.Empty)));
        statuses.Set("gone", Status("gone"));
        publisher.Publish();

        File.Delete(Path.Combine(_specs, "gone.yaml"));
        await specs.ScanAsync(CancellationToken.None);
        statuses.Set("gone", Status("gone") with { State = DeploymentState.Progressing, Enabled = false });
        publisher.Publish();

        Assert.That(Route(store, "gone")?.Off, Is.EqualTo(OffReason.Removed));
    }
}

using GradientNode.Core.Reconciliation;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

[TestFixture]
[Category("Unit")]
internal sealed class CredentialsHashOverlayTests
{
    [Test]
    public void Apply_ReplicaLabelledWithTheHashBeforeCredentials_TakenAsTheCurrentVersionOthersKept()
    {
        // Before: an upgrade found every replica of a spec with credentials at an "older" hash and rolled it.
        var spec = SpecHasherTests.Parse(SpecHasherTests.S3Yaml);
        var current = SpecHasher.Compute(spec);
        var observed = new[] { Replica("a", 0, "86a8fa870f09"), Replica("b", 1, "0123456789ab"), Replica("c", 2, current) };

        var overlay = new CredentialsHashOverlay(s => SpecHasher.ComputeBeforeCredentials(s));

        var result = overlay.Apply("hello", spec, current, 8080, observed);
        var edited = spec with { Integrations = new[] { spec.Integrations[0] with { AccessKeyId = "AKIAOTHER" } } };
        var afterEdit = overlay.Apply("hello", edited, SpecHasher.Compute(edited), 8080, observed);

        Assert.Multiple(() =>
        {
            Assert.That(result.Select(r => r.SpecHash), Is.EqualTo(new[] { current, "0123456789ab", current }));
            Assert.That(afterEdit.Select(r => r.SpecHash), Is.EqualTo(new[] { current, "0123456789ab", current }),
                "remembered at the version it was first seen with, so an edited key rolls it");
        });
    }

    [Test]
    public void Apply_SpecWithoutCredentialsOrRemoved_ReplicasUnchanged()
    {
        var spec = SpecHasherTests.Parse(SpecHasherTests.S3Yaml) with { Integrations = GradientNode.Core.Common.EquatableArray<GradientNode.Core.Specs.IntegrationSpec>.Empty };
        var observed = new[] { Replica("a", 0, "86a8fa870f09") };
        var overlay = new CredentialsHashOverlay(s => SpecHasher.ComputeBeforeCredentials(s));

        Assert.Multiple(() =>
        {
            Assert.That(overlay.Apply("hello", spec, SpecHasher.Compute(spec), 8080, observed), Is.SameAs(observed));
            Assert.That(overlay.Apply("hello", null, string.Empty, 8080, observed), Is.SameAs(observed));
        });
    }

    private static ObservedReplica Replica(string id, int index, string hash) => new()
    {
        ContainerId = id,
        ContainerName = $"gradient-hello-{index}-{id}",
        Index = index,
        SpecHash = hash,
        Running = true,
        State = "running",
    };
}

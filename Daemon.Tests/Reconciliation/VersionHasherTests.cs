using GradientNode.Core.Reconciliation;
using GradientNode.Core.Secrets;
using NUnit.Framework;
using static GradientNode.Tests.Reconciliation.ReconcilerTestData;

namespace GradientNode.Tests.Reconciliation;

[TestFixture]
[Category("Unit")]
internal sealed class VersionHasherTests
{
    private string _state = string.Empty;

    [SetUp]
    public void SetUp() => _state = Directory.CreateTempSubdirectory("gn-hasher-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_state, recursive: true);

    [Test]
    public void Compute_NeverRestarted_IsTheSpecHash() =>
        Assert.That(new VersionHasher(new RestartGenerations(_state)).Compute(Spec()), Is.EqualTo(SpecHasher.Compute(Spec())));

    [Test]
    public void Compute_AfterRestart_NewHashEachGeneration()
    {
        var generations = new RestartGenerations(_state);
        var hasher = new VersionHasher(generations);
        var before = hasher.Compute(Spec());

        generations.Bump("web");
        var once = hasher.Compute(Spec());
        generations.Bump("web");

        Assert.That(new[] { before, once, hasher.Compute(Spec()) }, Is.Unique);
    }
}

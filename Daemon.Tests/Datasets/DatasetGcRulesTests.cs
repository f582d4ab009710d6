using GradientNode.Core.Datasets;
using NUnit.Framework;

namespace GradientNode.Tests.Datasets;

[TestFixture]
[Category("Unit")]
internal sealed class DatasetGcRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Test]
    public void Collectable_SixVersionsKeepTwo_OlderUntaggedUnusedOnly()
    {
        // newest first: v6 (latest) v5 v4 (tagged) v3 (in use) v2 v1
        var versions = new[] { V("v6", "latest"), V("v5"), V("v4", "prod"), V("v3"), V("v2"), V("v1") };

        var doomed = DatasetGcRules.Collectable(versions, keep: 2, inUse: new HashSet<string> { "d:v3" });

        Assert.That(doomed.Select(v => v.Version), Is.EqualTo(new[] { "v2", "v1" }));
    }

    [Test]
    public void Collectable_KeepZero_NewestStillKept()
    {
        var doomed = DatasetGcRules.Collectable([V("v2", "latest"), V("v1")], keep: 0, inUse: new HashSet<string>());

        Assert.That(doomed.Select(v => v.Version), Is.EqualTo(new[] { "v1" }));
    }

    private static DatasetVersion V(string id, params string[] tags) => new("d", id, T0, null, 1, 1, tags, null);
}

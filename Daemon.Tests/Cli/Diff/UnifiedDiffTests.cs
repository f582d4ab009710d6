using GradientNode.Daemon.Cli.Diff;
using NUnit.Framework;

namespace GradientNode.Tests.Cli.Diff;

[TestFixture]
[Category("Unit")]
internal sealed class UnifiedDiffTests
{
    [Test]
    public void Lines_SameLines_Empty()
    {
        Assert.That(UnifiedDiff.Lines(["a", "b"], ["a", "b"], "old", "new"), Is.Empty);
    }

    [Test]
    public void Lines_OneLineChanged_OneHunkWithContext()
    {
        string[] before = ["1", "2", "3", "4", "5", "6", "7", "8", "9"];
        string[] after = ["1", "2", "3", "4", "five", "6", "7", "8", "9"];

        var diff = UnifiedDiff.Lines(before, after, "old", "new");

        Assert.That(diff, Is.EqualTo(new[] { "--- old", "+++ new", "@@ -2,7 +2,7 @@", " 2", " 3", " 4", "-5", "+five", " 6", " 7", " 8" }));
    }

    [Test]
    public void Lines_FarApartChanges_TwoHunks()
    {
        var before = Enumerable.Range(1, 20).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var after = before.ToList();
        after[0] = "one";
        after[19] = "twenty";

        var diff = UnifiedDiff.Lines(before, after, "old", "new");

        Assert.That(diff.Where(l => l.StartsWith("@@", StringComparison.Ordinal)), Is.EqualTo(new[] { "@@ -1,4 +1,4 @@", "@@ -17,4 +17,4 @@" }));
    }

    [Test]
    public void Lines_FromNothing_AllAdded()
    {
        var diff = UnifiedDiff.Lines([], ["a", "b"], "/dev/null", "new");

        Assert.That(diff, Is.EqualTo(new[] { "--- /dev/null", "+++ new", "@@ -0,0 +1,2 @@", "+a", "+b" }));
    }
}

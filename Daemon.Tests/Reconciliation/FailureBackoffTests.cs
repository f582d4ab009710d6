using GradientNode.Core.Reconciliation;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

[TestFixture]
[Category("Unit")]
internal sealed class FailureBackoffTests
{
    [TestCase(1, 2)]
    [TestCase(2, 4)]
    [TestCase(5, 32)]
    [TestCase(20, 300)]
    public void After_FailuresInARow_DoublesFromTwoSecondsUpToFiveMinutes(int failures, int seconds) =>
        Assert.That(FailureBackoff.After(failures), Is.EqualTo(TimeSpan.FromSeconds(seconds)));
}

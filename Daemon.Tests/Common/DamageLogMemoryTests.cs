using GradientNode.Core.Common;
using NUnit.Framework;

namespace GradientNode.Tests.Common;

[TestFixture]
[Category("Unit")]
internal sealed class DamageLogMemoryTests
{
    [Test]
    public void Report_SameDamageAgainThenOtherDamage_LoggedOnceThenAgainForTheChange()
    {
        var memory = new DamageLogMemory();

        var logged = new[] { "is empty", "is empty", "is not UTF-8 text", "is not UTF-8 text" }.Select(d => memory.Report("token", d)).ToList();

        Assert.That(logged, Is.EqualTo(new[] { true, false, true, false }));
    }

    [Test]
    public void Report_TwoNamesWithTheSameDamage_EachLoggedOnce()
    {
        var memory = new DamageLogMemory();

        var logged = new[] { "a", "b", "a", "b" }.Select(name => memory.Report(name, "is empty")).ToList();

        Assert.That(logged, Is.EqualTo(new[] { true, true, false, false }));
    }

    [Test]
    public void Report_AfterTheNameWasForgotten_LoggedAgain()
    {
        var memory = new DamageLogMemory();
        memory.Report("token", "is empty");

        memory.Forget("token");

        Assert.That(memory.Report("token", "is empty"), Is.True, "set again and damaged again: a new damage");
    }
}

using System.Reflection;
using NUnit.Framework;

namespace GradientNode.Tests.Architecture;

/// <summary>
/// Every Engine and E2E fixture's <c>[TearDown]</c> runs cleanly after a SetUp that ended before it assigned anything (no
/// engine, no binary): before, a TearDown that disposed a field SetUp never set threw a NullReferenceException, and
/// that, not the SetUp's own reason (an ignore, a failure naming what is missing), was what the run showed.
/// </summary>
[TestFixture]
[Category("Unit")]
internal sealed class TearDownTests
{
    private static IEnumerable<TestCaseData> Fixtures() =>
        typeof(TearDownTests).Assembly.GetTypes()
            .Where(t => t.GetCustomAttributes<CategoryAttribute>().Any(c => c.Name is "E2E" or "Engine") && t.GetConstructor(Type.EmptyTypes) is not null)
            .SelectMany(t => t.GetMethods(BindingFlags.Instance | BindingFlags.Public).Where(m => m.GetCustomAttribute<TearDownAttribute>() is not null).Select(m => (t, m)))
            .OrderBy(p => p.t.Name, StringComparer.Ordinal)
            .Select(p => new TestCaseData(p.t, p.m).SetArgDisplayNames(p.t.Name));

    [TestCaseSource(nameof(Fixtures))]
    public async Task TearDown_SetUpNeverRan_EndsWithoutAnException(Type fixture, MethodInfo tearDown)
    {
        var instance = Activator.CreateInstance(fixture)!;

        var result = tearDown.Invoke(instance, null);

        if (result is Task task)
        {
            await task;
        }
    }
}

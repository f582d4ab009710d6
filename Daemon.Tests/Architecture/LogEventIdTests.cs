using System.Reflection;
using GradientNode.Core.Engine;
using GradientNode.Daemon.WebConsole;
using GradientNode.Proxy;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace GradientNode.Tests.Architecture;

/// <summary>
/// Log event ids are stable and each names one message (CONTRIBUTING.md, "Logging"). Read from the
/// <see cref="LoggerMessageAttribute"/>s of the three projects themselves, so the proxy's constants and the
/// <c>Foo.Log.cs</c> partials count, and numbers that are not event ids (buffer sizes, ports) do not, as they do for
/// the grep in CONTRIBUTING.md.
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class LogEventIdTests
{
    private static readonly Assembly[] Assemblies = [typeof(ContainerLabels).Assembly, typeof(ConsoleRoutes).Assembly, typeof(ProxyOptions).Assembly];

    private static List<(Assembly Assembly, int Id, string Method)> LogMethods() => Assemblies
        .SelectMany(a => a.GetTypes())
        .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
        .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
        .Where(x => x.Attribute is not null)
        .Select(x => (x.Method.DeclaringType!.Assembly, x.Attribute!.EventId, $"{x.Method.DeclaringType.FullName}.{x.Method.Name}"))
        .ToList();

    [Test]
    public void LoggerMessages_EachProject_FoundAndEveryOneHasAnId()
    {
        var methods = LogMethods();

        Assert.Multiple(() =>
        {
            Assert.That(Assemblies.Where(a => !methods.Any(m => m.Assembly == a)).Select(a => a.GetName().Name), Is.Empty, "projects in which the scan found no log method");
            Assert.That(methods.Where(m => m.Id <= 0).Select(m => m.Method), Is.Empty, "log methods without an event id");
        });
    }

    [Test]
    public void LoggerMessages_AllThreeProjects_NoEventIdSharedByTwoMethods()
    {
        var shared = LogMethods()
            .GroupBy(m => m.Id)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Method).Order(StringComparer.Ordinal))}");

        Assert.That(shared, Is.Empty, "an event id names one message: take a free id in the area's range (CONTRIBUTING.md), never reuse a retired one");
    }
}

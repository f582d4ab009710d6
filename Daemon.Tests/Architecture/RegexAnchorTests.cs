using System.Reflection;
using System.Text.RegularExpressions;
using GradientNode.Core.Engine;
using GradientNode.Daemon.WebConsole;
using GradientNode.Proxy;
using NUnit.Framework;

namespace GradientNode.Tests.Architecture;

/// <summary>
/// A validation pattern that ends in <c>$</c> also matches before a final newline: <c>^[a-z]+$</c> accepts "name\n", so a
/// secret, registry, dataset or workflow name with a trailing newline became a file or folder name. Every generated
/// regex of the three projects must end a full match with <c>\z</c> (or say <see cref="RegexOptions.Multiline"/>).
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class RegexAnchorTests
{
    private static readonly Assembly[] Assemblies = [typeof(ContainerLabels).Assembly, typeof(ConsoleRoutes).Assembly, typeof(ProxyOptions).Assembly];

    [Test]
    public void GeneratedRegexes_AnchoredAtTheEnd_UseBackslashZNotDollar()
    {
        var patterns = Assemblies
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<GeneratedRegexAttribute>()))
            .Where(x => x.Attribute is not null)
            .ToList();

        var offenders = patterns
            .Where(x => x.Attribute!.Pattern.EndsWith('$') && !x.Attribute.Options.HasFlag(RegexOptions.Multiline))
            .Select(x => $"{x.Method.DeclaringType!.FullName}.{x.Method.Name}: {x.Attribute!.Pattern}")
            .ToList();

        Assert.That(patterns, Is.Not.Empty, "no [GeneratedRegex] found: the scan itself is broken");
        Assert.That(offenders, Is.Empty);
    }
}

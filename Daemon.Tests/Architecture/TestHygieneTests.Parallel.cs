using System.Text.RegularExpressions;
using NUnit.Framework;

namespace GradientNode.Tests.Architecture;

/// <summary>
/// A fixture that runs beside another (<c>[Parallelizable]</c>, Infrastructure/TestParallelism.cs) changes nothing the
/// whole test process shares: the other fixture's processes would inherit it (CONTRIBUTING.md, "Tests that run in
/// parallel").
/// </summary>
public sealed partial class TestHygieneTests
{
    [Test]
    public void ParallelFixtures_ChangeNothingProcessWide()
    {
        var sources = Sources().ToList();
        var parallel = sources.Where(s => s.Lines.Any(l => l.TrimStart().StartsWith("[Parallelizable(", StringComparison.Ordinal)))
            .Select(s => ClassName(s.Lines))
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        Assume.That(parallel, Is.Not.Empty, "no fixture runs in parallel");

        var found = sources.Where(s => ClassName(s.Lines) is { } name && parallel.Contains(name))
            .SelectMany(ProcessWideChanges)
            .ToList();

        Assert.That(found, Is.Empty, "a [Parallelizable] fixture must not change what the whole test process shares: leave it sequential");
    }

    [Test]
    public void ProcessWideChanges_FixtureThatSetsNotifySocket_Found()
    {
        // The check above finds what it looks for: the systemd notification tests set NOTIFY_SOCKET for the process.
        var notifications = Sources().Single(s => s.File.EndsWith("SystemdNotificationsTests.cs", StringComparison.Ordinal));

        Assert.That(ProcessWideChanges(notifications), Is.Not.Empty);
    }

    private static IEnumerable<string> ProcessWideChanges((string File, string[] Lines) source) =>
        source.Lines.Select((line, i) => (line, i))
            .Where(x => !x.line.TrimStart().StartsWith("//", StringComparison.Ordinal) && ProcessWide().IsMatch(x.line))
            .Select(x => $"{source.File}:{x.i + 1}: {x.line.Trim()}");

    /// <summary>The class a file declares (a partial's files share it), or none.</summary>
    private static string? ClassName(string[] lines) =>
        lines.Select(l => ClassDeclaration().Match(l)).FirstOrDefault(m => m.Success)?.Groups["name"].Value;

    [GeneratedRegex(@"\bNotifySocketListener\b|Console\.Set(Out|Error|In)\b|Environment\.SetEnvironmentVariable\b|Environment\.CurrentDirectory\s*=|Directory\.SetCurrentDirectory\b")]
    private static partial Regex ProcessWide();

    [GeneratedRegex(@"^\s*(public|internal)\s+(sealed\s+)?(partial\s+)?class\s+(?<name>\w+)")]
    private static partial Regex ClassDeclaration();
}

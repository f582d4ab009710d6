using System.Text.RegularExpressions;
using GradientNode.Tests.Install;
using NUnit.Framework;

namespace GradientNode.Tests.Architecture;

/// <summary>
/// The tests' own rules, read from their sources: no bare sleep (a fixed span goes through
/// <see cref="Infrastructure.TestTimeouts"/>, which names why it is right) and no assertion on elapsed time (a test proves
/// "promptly" by what it observes, not by a clock that a loaded 2-core box makes flaky).
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed partial class TestHygieneTests
{
    private static readonly string TestTimeoutsFile = Path.Combine("Infrastructure", "TestTimeouts.cs");

    [Test]
    public void TestSources_NoBareSleepOutsideTestTimeouts()
    {
        var found = Matches(Sleep(), except: TestTimeoutsFile);

        Assert.That(found, Is.Empty, "wait with TestTimeouts.WaitUntilAsync; a fixed span goes through TestTimeouts.HoldAsync or AssertStaysAsync");
    }

    [Test]
    public void TestSources_NoAssertionOnElapsedTime()
    {
        // TestTimeouts owns the clock: its own asserts say how far into a span a condition broke.
        var found = Sources().Where(s => s.File != TestTimeoutsFile).SelectMany(ElapsedAssertions).ToList();

        Assert.That(found, Is.Empty, "assert what the code did, not how long it took");
    }

    /// <summary>
    /// An <c>Assert</c> line on something elapsed: read there (a stopwatch, <c>.Elapsed</c>, <c>GetElapsedTime</c>), or
    /// kept in a variable first (<c>var stopped = clock.Elapsed;</c>, not a message that only mentions it).
    /// </summary>
    private static IEnumerable<string> ElapsedAssertions((string File, string[] Lines) source)
    {
        var kept = source.Lines.Select(l => ElapsedVariable().Match(l)).Where(m => m.Success).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
        return source.Lines
            .Select((line, i) => (line, i))
            .Where(x => x.line.Contains("Assert.", StringComparison.Ordinal)
                && (Elapsed().IsMatch(x.line) || kept.Any(name => Regex.IsMatch(x.line, $@"\b{Regex.Escape(name)}\b"))))
            .Select(x => $"{source.File}:{x.i + 1}: {x.line.Trim()}");
    }

    private static List<string> Matches(Regex pattern, string? except) =>
        [.. Sources()
            .Where(s => s.File != except)
            .SelectMany(s => s.Lines.Select((line, i) => (s.File, i, line)))
            .Where(x => !x.line.TrimStart().StartsWith("//", StringComparison.Ordinal) && pattern.IsMatch(x.line))
            .Select(x => $"{x.File}:{x.i + 1}: {x.line.Trim()}")];

    /// <summary>Every C# file of the test project (not its build output), by its path under <c>Daemon.Tests</c>.</summary>
    private static IEnumerable<(string File, string[] Lines)> Sources()
    {
        var root = Path.Combine(ShellTool.RepoRoot(), "Daemon.Tests");
        Assert.That(Directory.Exists(root), Is.True, root);
        var separator = Path.DirectorySeparatorChar;
        return Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{separator}bin{separator}", StringComparison.Ordinal) && !f.Contains($"{separator}obj{separator}", StringComparison.Ordinal))
            .Select(f => (Path.GetRelativePath(root, f), File.ReadAllLines(f)));
    }

    [GeneratedRegex(@"\b(Task\.Delay|Thread\.Sleep)\s*\(")]
    private static partial Regex Sleep();

    [GeneratedRegex(@"\.Elapsed\b|GetElapsedTime\(|Stopwatch\.")]
    private static partial Regex Elapsed();

    [GeneratedRegex(@"\bvar\s+(?<name>\w+)\s*=\s*[\w.]*(\.Elapsed\b|GetElapsedTime\()")]
    private static partial Regex ElapsedVariable();
}

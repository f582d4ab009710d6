using System.Text.RegularExpressions;
using GradientNode.Tests.Install;
using NUnit.Framework;

namespace GradientNode.Tests.Architecture;

/// <summary>
/// docs/reference/api.md's endpoint table is the socket API's contract: every route the daemon maps is in it, and
/// every row names a route the daemon maps. Read from the sources (the routes are literals in <c>Daemon/Api</c> and
/// <c>Daemon/History</c>), so a new endpoint without a row, or a row left behind by a removed one, fails here. Route
/// parameter names are not compared (<c>{selector}</c> in code is <c>{ref}</c> in the table).
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed partial class ApiReferenceTests
{
    [Test]
    public void EndpointTable_EveryRouteTheDaemonMaps_HasARow()
    {
        var documented = DocumentedRoutes();

        var missing = MappedRoutes().Where(r => !documented.Contains(r)).ToList();

        Assert.That(missing, Is.Empty, "routes the daemon maps that api.md's endpoint table does not list");
    }

    [Test]
    public void EndpointTable_EveryRow_NamesARouteTheDaemonMaps()
    {
        var mapped = MappedRoutes();

        var stale = DocumentedRoutes().Where(r => !mapped.Contains(r)).ToList();

        Assert.That(stale, Is.Empty, "api.md rows whose method and path the daemon does not map");
    }

    [Test]
    public void DocumentedRoutes_TheTable_IsReadWhole()
    {
        // A guard for the reader above: a table it could not read would make both tests pass on nothing.
        var documented = DocumentedRoutes();

        Assert.Multiple(() =>
        {
            Assert.That(documented, Does.Contain("GET /v1/health"));
            Assert.That(documented, Does.Contain("POST /v1/deployments/{}/disable"));
            Assert.That(documented, Does.Contain("GET /v1/registries/{}"));
            Assert.That(documented, Does.Contain("DELETE /v1/workflows/{}/runs"));
            Assert.That(documented, Has.Count.GreaterThan(40));
            Assert.That(MappedRoutes(), Has.Count.GreaterThan(40));
        });
    }

    private static HashSet<string> MappedRoutes()
    {
        var root = ShellTool.RepoRoot();
        var sources = new[] { "Daemon/Api", "Daemon/History" }
            .SelectMany(d => Directory.EnumerateFiles(Path.Combine(root, d), "*.cs", SearchOption.AllDirectories));
        return sources
            .SelectMany(file => MapCall().Matches(File.ReadAllText(file)))
            .Select(m => $"{m.Groups["method"].Value.ToUpperInvariant()} {Normalize(m.Groups["path"].Value)}")
            .ToHashSet(StringComparer.Ordinal);
    }

    private static HashSet<string> DocumentedRoutes()
    {
        var lines = File.ReadAllLines(Path.Combine(ShellTool.RepoRoot(), "docs", "reference", "api.md"));
        var start = Array.IndexOf(lines, "## Endpoints");
        Assert.That(start, Is.GreaterThanOrEqualTo(0), "api.md has an '## Endpoints' heading");
        var routes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(start + 1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal)))
        {
            var row = TableRow().Match(line);
            if (!row.Success)
            {
                continue;
            }

            foreach (Match path in CodePath().Matches(row.Groups["paths"].Value))
            {
                routes.Add($"{row.Groups["method"].Value} {Normalize(path.Groups["path"].Value)}");
            }
        }

        return routes;
    }

    /// <summary>Drops the query and optional parts (<c>?replicas=N</c>, <c>[?onDisk=true]</c>) and the parameter names.</summary>
    private static string Normalize(string path) => RouteParameter().Replace(path.Split('?', '[')[0], "{}");

    [GeneratedRegex(@"\.Map(?<method>Get|Post|Put|Delete)\(\s*""(?<path>/[^""]*)""")]
    private static partial Regex MapCall();

    [GeneratedRegex(@"^\| `(?<method>GET|POST|PUT|DELETE)` \| (?<paths>[^|]*)\|")]
    private static partial Regex TableRow();

    [GeneratedRegex(@"`(?<path>/[^`\s]*)`")]
    private static partial Regex CodePath();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex RouteParameter();
}

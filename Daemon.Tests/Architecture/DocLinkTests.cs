using System.Text;
using System.Text.RegularExpressions;
using GradientNode.Tests.Install;
using NUnit.Framework;

namespace GradientNode.Tests.Architecture;

/// <summary>
/// Every relative link of README.md, CONTRIBUTING.md, examples/**/*.md and docs/**/*.md leads somewhere: the file (or
/// folder) exists, and a <c>#anchor</c> into a Markdown file names one of its headings as GitHub spells it (lower case,
/// punctuation dropped, spaces as hyphens, <c>-1</c>, <c>-2</c> for a repeated heading). A new user follows these links
/// word for word (newuser10); a heading renamed without its links fails here. Links inside fenced code blocks are text.
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed partial class DocLinkTests
{
    [Test]
    public void RelativeLinks_EveryDocument_LeadToAFileAndAHeadingThere()
    {
        var root = ShellTool.RepoRoot();
        var broken = new List<string>();
        var checkedLinks = 0;
        foreach (var document in Documents(root))
        {
            foreach (var (line, target) in Links(File.ReadAllText(document)))
            {
                if (UriScheme().IsMatch(target))
                {
                    continue;
                }

                checkedLinks++;
                var hash = target.IndexOf('#', StringComparison.Ordinal);
                var path = hash < 0 ? target : target[..hash];
                var anchor = hash < 0 ? null : target[(hash + 1)..];
                var file = path.Length == 0 ? document : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(document)!, Uri.UnescapeDataString(path)));
                var where = $"{Path.GetRelativePath(root, document)}:{line}: ({target})";
                if (!File.Exists(file) && !Directory.Exists(file))
                {
                    broken.Add($"{where} no such file");
                }
                else if (anchor is not null && file.EndsWith(".md", StringComparison.Ordinal) && !Anchors(File.ReadAllText(file)).Contains(anchor))
                {
                    broken.Add($"{where} no heading with that anchor in {Path.GetRelativePath(root, file)}");
                }
            }
        }

        Assert.That(checkedLinks, Is.GreaterThan(100), "the reader found the documents' links");
        Assert.That(broken, Is.Empty, "relative links that lead nowhere");
    }

    [TestCase("## `GET /v1/deployments/{name}/spec`", "get-v1deploymentsnamespec")]
    [TestCase("### `ls [-o json|yaml|wide|text]` (alias `list`)", "ls--o-jsonyamlwidetext-alias-list")]
    [TestCase("## Over TLS, round 8: the proxy unit's socket setting (issue 17, 2026-12-02)", "over-tls-round-8-the-proxy-units-socket-setting-issue-17-2026-12-02")]
    [TestCase("## See [the spec](spec.md) here", "see-the-spec-here")]
    public void Anchors_Heading_SpeltAsGitHubSpellsIt(string heading, string anchor) =>
        Assert.That(Anchors(heading + "\n"), Does.Contain(anchor));

    [Test]
    public void Anchors_SameHeadingTwiceAndOneInACodeBlock_SecondGetsASuffixAndTheCodeBlockNone() =>
        Assert.That(Anchors("## Limits\n```\n# not a heading\n```\n## Limits\n"), Is.EquivalentTo(new[] { "limits", "limits-1" }));

    private static IEnumerable<string> Documents(string root) =>
        new[] { "README.md", "CONTRIBUTING.md" }.Select(name => Path.Combine(root, name))
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories))
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "examples"), "*.md", SearchOption.AllDirectories));

    /// <summary>Each <c>[text](target)</c> outside fenced code blocks and inline code, with its line number.</summary>
    private static IEnumerable<(int Line, string Target)> Links(string markdown)
    {
        var lines = markdown.Split('\n');
        var fenced = false;
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
                continue;
            }

            if (fenced)
            {
                continue;
            }

            foreach (Match link in Link().Matches(InlineCode().Replace(lines[i], string.Empty)))
            {
                yield return (i + 1, link.Groups["target"].Value);
            }
        }
    }

    private static HashSet<string> Anchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var fenced = false;
        foreach (var line in markdown.Split('\n'))
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
                continue;
            }

            var heading = Heading().Match(line);
            if (fenced || !heading.Success)
            {
                continue;
            }

            var text = LinkText().Replace(heading.Groups["text"].Value, "${text}").Replace("`", string.Empty, StringComparison.Ordinal);
            var slug = new StringBuilder();
            foreach (var c in text.Trim().ToLowerInvariant())
            {
                if (char.IsLetterOrDigit(c) || c is '-' or '_')
                {
                    slug.Append(c);
                }
                else if (c == ' ')
                {
                    slug.Append('-');
                }
            }

            var anchor = slug.ToString();
            var count = seen.GetValueOrDefault(anchor);
            seen[anchor] = count + 1;
            anchors.Add(count == 0 ? anchor : $"{anchor}-{count}");
        }

        foreach (Match named in HtmlAnchor().Matches(markdown))
        {
            anchors.Add(named.Groups["name"].Value);
        }

        return anchors;
    }

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"`[^`]*`")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"\[(?<text>[^\]]*)\]\([^)]*\)")]
    private static partial Regex LinkText();

    [GeneratedRegex(@"^#{1,6}\s+(?<text>.*?)\s*#*\s*\z")]
    private static partial Regex Heading();

    [GeneratedRegex(@"<a (?:name|id)=""(?<name>[^""]+)""")]
    private static partial Regex HtmlAnchor();

    [GeneratedRegex(@"\A[a-z][a-z0-9+.-]*:", RegexOptions.IgnoreCase)]
    private static partial Regex UriScheme();
}

using System.Text.RegularExpressions;
using GradientNode.Tests.Install;
using NUnit.Framework;

namespace GradientNode.Tests.Scripts;

/// <summary>
/// The scripts run as root (run.sh, test.sh, install.sh, the benches), and <c>/tmp</c> is every user's: a redirection to a
/// fixed name there (<c>8&gt;/tmp/.gn-bridges.lock</c>) opens, truncates or creates whatever a link another user put at
/// that name first leads to (<c>/etc/passwd</c>, or a new <c>/etc/nologin</c>), unless the kernel's
/// <c>fs.protected_symlinks</c> is on (it is off on some boxes, this one included). Names in <c>/tmp</c> come from
/// <c>mktemp</c>, or are folders checked with <c>private_dir</c> (lib.sh).
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed partial class ScriptTempPathTests
{
    [Test]
    public void Scripts_RedirectionToAFixedNameInTmp_None()
    {
        var root = ShellTool.RepoRoot();
        var scripts = Directory.EnumerateFiles(root, "*.sh", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal)
                && !f.Contains("/node_modules/", StringComparison.Ordinal) && !f.Contains("/.git/", StringComparison.Ordinal))
            .Append(Path.Combine(root, ".ci", "run"))
            .Where(File.Exists)
            .ToList();
        Assert.That(scripts, Has.Some.EndsWith("scripts/lib.sh"), "the walk finds the scripts");

        var found = scripts
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetRelativePath(root, f), Line: i + 1, Text: line)))
            .Where(l => !l.Text.TrimStart().StartsWith('#') && FixedTmpRedirection().IsMatch(l.Text))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToList();

        Assert.That(found, Is.Empty, "a redirection into a fixed name in /tmp follows another user's link there as root");
    }

    /// <summary><c>&gt;</c>, <c>&gt;&gt;</c>, <c>N&gt;</c> or <c>&amp;&gt;</c> to <c>/tmp/NAME</c> written out (no <c>$</c>: a mktemp result is a variable).</summary>
    [GeneratedRegex(@"(?:^|[^<])\d*&?>>?\s*""?/tmp/[^\s""$)]+")]
    private static partial Regex FixedTmpRedirection();
}

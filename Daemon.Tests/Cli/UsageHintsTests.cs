using GradientNode.Daemon.Cli;
using NUnit.Framework;

namespace GradientNode.Tests.Cli;

[TestFixture]
[Category("Unit")]
internal sealed class UsageHintsTests
{
    [TestCase("aply", "unknown verb 'aply'; did you mean 'apply'?")]
    [TestCase("lss", "unknown verb 'lss'; did you mean 'ls'?")]
    [TestCase("restrat", "unknown verb 'restrat'; did you mean 'restart'?")]
    [TestCase("Logs", "unknown verb 'Logs'; did you mean 'logs'?")]
    [TestCase("status", "unknown verb 'status'; did you mean 'get NAME' (one deployment) or 'ls' (all)?")]
    [TestCase("events", "unknown verb 'events'; did you mean 'get NAME' (each replica's recent history) or the daemon's log (journalctl -u gradient-node)?")]
    [TestCase("rollout", "unknown verb 'rollout'; did you mean 'restart NAME' (or 'apply -f FILE --wait' for a new version)?")]
    [TestCase("deploy", "unknown verb 'deploy'; did you mean 'apply -f FILE' (add --wait to follow the rollout)?")]
    [TestCase("stop", "unknown verb 'stop'; did you mean 'scale NAME --replicas 0'?")]
    [TestCase("disable", "unknown verb 'disable'; did you mean 'scale NAME --replicas 0' (or enabled: false in its spec file, then 'apply -f FILE')?")]
    [TestCase("enable", "unknown verb 'enable'; did you mean 'scale NAME --replicas N' (or enabled: true in its spec file, then 'apply -f FILE')?")]
    [TestCase("rollback", "unknown verb 'rollback'; did you mean 'apply -f FILE' with the previous spec file (the node keeps no history of specs: keep them in git, then 'git checkout' the old one and apply it; 'diff -f FILE' shows what would change)?")]
    [TestCase("history", "unknown verb 'history'; did you mean 'apply -f FILE' with the previous spec file (the node keeps no history of specs: keep them in git, then 'git checkout' the old one and apply it; 'diff -f FILE' shows what would change)?")]
    [TestCase("releases", "unknown verb 'releases'; did you mean 'apply -f FILE' with the previous spec file (the node keeps no history of specs: keep them in git, then 'git checkout' the old one and apply it; 'diff -f FILE' shows what would change)?")]
    [TestCase("exec", "unknown verb 'exec'; did you mean 'docker exec -it CONTAINER sh' (a replica is a Docker container on this node; 'get NAME' lists each one's CONTAINER)?")]
    [TestCase("shell", "unknown verb 'shell'; did you mean 'docker exec -it CONTAINER sh' (a replica is a Docker container on this node; 'get NAME' lists each one's CONTAINER)?")]
    [TestCase("run", "unknown verb 'run'; did you mean 'workflows run -f FILE' (a workflow) or 'apply -f FILE' (a deployment)?")]
    [TestCase("start", "unknown verb 'start'; did you mean 'scale NAME --replicas N' (after 'scale NAME --replicas 0'), or 'apply -f FILE' (a new deployment)?")]
    [TestCase("stats", "unknown verb 'stats'; did you mean 'get NAME' (its traffic and, when it autoscales, its CPU) or 'node' (CPU, memory, GPUs); 'docker stats' for each container?")]
    [TestCase("frobnicate", "unknown verb 'frobnicate'")]
    public void UnknownVerb_Word_SuggestsTheCloseVerbOrNothing(string verb, string expected) =>
        Assert.That(UsageHints.UnknownVerb(verb), Is.EqualTo(expected));

    [TestCase("--wiat", "unknown option --wiat for apply; did you mean '--wait'?")]
    [TestCase("--timout", "unknown option --timout for apply; did you mean '--timeout'?")]
    [TestCase("--dryrun", "unknown option --dryrun for apply; did you mean '--dry-run'?")]
    [TestCase("--bogus", "unknown option --bogus for apply")]
    [TestCase("-w", "unknown option -w for apply")]
    public void WithOptionHint_Option_SuggestsOnlyACloseLongOption(string option, string expected) =>
        Assert.That(
            UsageHints.WithOptionHint($"unknown option {option} for apply", option, ["-f", "--filename", "--wait", "--timeout", "--dry-run"]),
            Is.EqualTo(expected));

    [TestCase("-n", "unknown option -n for logs; did you mean '--tail'?")]
    [TestCase("--lines", "unknown option --lines for logs; did you mean '--tail'?")]
    public void WithOptionHint_OtherToolsSpelling_PointsToOurs(string option, string expected) =>
        Assert.That(UsageHints.WithOptionHint($"unknown option {option} for logs", option, ["-f", "--follow", "--tail", "--replica"]), Is.EqualTo(expected));

    // fly, gh and kamal take --json; docker and compose --format json (newuser12: "unknown option --json for ls" said no more).
    [TestCase("--json", "unknown option --json for ls; did you mean '-o json'?")]
    [TestCase("--yaml", "unknown option --yaml for ls; did you mean '-o yaml'?")]
    [TestCase("--format", "unknown option --format for ls; did you mean '-o' (-o json, -o yaml)?")]
    public void WithOptionHint_OtherToolsOutputFlag_PointsToDashO(string option, string expected) =>
        Assert.That(UsageHints.WithOptionHint($"unknown option {option} for ls", option, ["-o", "--output"]), Is.EqualTo(expected));

    [Test]
    public void WithOptionHint_OutputFlagForAVerbWithoutDashO_NoHint() =>
        Assert.That(UsageHints.WithOptionHint("unknown option --json for scale", "--json", ["--replicas"]), Is.EqualTo("unknown option --json for scale"));

    [Test]
    public void WithOptionHint_OtherToolsSpellingTheVerbDoesNotTake_NoHint() =>
        Assert.That(UsageHints.WithOptionHint("unknown option -n for apply", "-n", ["-f", "--wait"]), Is.EqualTo("unknown option -n for apply"));
}

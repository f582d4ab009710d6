using GradientNode.Core.Specs;
using GradientNode.Daemon.Cli.Diff;
using NUnit.Framework;

namespace GradientNode.Tests.Cli.Diff;

[TestFixture]
[Category("Unit")]
internal sealed class NormalizedSpecTests
{
    [Test]
    public void Of_SameSpecWrittenDifferently_SameLines()
    {
        var flow = Parse("apiVersion: v1\nname: hello\nimage: a:1\nresources: {machineType: C4, ports: [8080]}\n");
        var block = Parse("name: hello\napiVersion: v1\nresources:\n  ports:\n    - 8080\n  machineType: C4\n  replicas: 1\nimage: \"a:1\"\nenabled: true\n");

        Assert.That(NormalizedSpec.Of(block).Lines, Is.EqualTo(NormalizedSpec.Of(flow).Lines));
    }

    [Test]
    public void Of_Spec_WritesDefaultsAndPaths()
    {
        var normalized = NormalizedSpec.Of(Parse("apiVersion: v1\nname: hello\nimage: a:1\nenv:\n  - name: A\n    value: secret:token\nresources: {machineType: C4, ports: [8080]}\n"));

        Assert.Multiple(() =>
        {
            Assert.That(normalized.Lines, Does.Contain("enabled: true"));
            Assert.That(normalized.Lines, Does.Contain("  - name: A"));
            Assert.That(normalized.Values["resources.replicas"], Is.EqualTo("1"));
            Assert.That(normalized.Values["env[0].value"], Is.EqualTo("secret:token"));
            Assert.That(normalized.Values["image"], Is.EqualTo("a:1"));
            Assert.That(normalized.Lines, Does.Contain("image: a:1"));
            Assert.That(NormalizedSpec.Of(Parse("apiVersion: v1\nname: hello\nimage: \"1.0\"\nresources: {machineType: C4, ports: [8080]}\n")).Lines, Does.Contain("image: \"1.0\""));
        });
    }

    [Test]
    public void Of_GitLfsIntegrationWithUnsetFields_TypeAsASpecWritesItAndNoNullLines()
    {
        const string Yaml = "apiVersion: v1\nname: hello\nimage: a:1\nresources: {machineType: C4, ports: [8080]}\n"
            + "integrations:\n  - name: weights\n    type: git-lfs\n    url: https://huggingface.co/org/model\n";
        var normalized = NormalizedSpec.Of(Parse(Yaml));

        Assert.Multiple(() =>
        {
            Assert.That(normalized.Lines, Has.Some.EqualTo("  - type: git-lfs"), "the spelling validate accepts, not the enum's gitLfs");
            Assert.That(normalized.Lines, Has.Some.EqualTo("    name: weights"));
            Assert.That(normalized.Lines, Has.None.EndsWith(": null"));
            Assert.That(normalized.Values["integrations[0].region"], Is.EqualTo("null"), "an unset field keeps its path for naming a change");
        });
    }

    [Test]
    public void Of_ListItemWhoseFirstFieldIsUnset_DashGoesOnItsFirstWrittenField()
    {
        var normalized = NormalizedSpec.Of(Parse("apiVersion: v1\nname: hello\nimage: a:1\nresources: {machineType: C4, ports: [8080]}\n"
            + "integrations:\n  - name: w\n    type: s3\n    url: s3://bucket/p/\n"));
        var item = normalized.Lines.SkipWhile(l => l != "integrations:").Skip(1).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal)).ToList();

        Assert.That(item, Has.Count.GreaterThan(1));
        Assert.That(item[0], Does.StartWith("  - "));
        Assert.That(item.Skip(1), Has.All.StartWith("    ").And.All.Not.StartWith("    - "));
    }

    [Test]
    public void Of_SpecWithProbesOfBothKinds_LinesParseBackToTheSameSpec()
    {
        // Before: the probes showed the record's action: exec, execCommand: [...] and headers: [], and every spec
        // models: [], which a v1 spec refuses (unknown field 'execCommand', 'models' belongs to v0alpha0).
        var spec = Parse("apiVersion: v1\nname: hello\nimage: a:1\nresources: {machineType: C4, ports: [8080]}\n"
            + "healthChecks:\n  startup:\n    exec:\n      command: [/bin/sh, -c, test -f /tmp/boot]\n    periodSeconds: 1\n"
            + "  readiness:\n    path: /health\n    headers: [{name: X-Probe, value: yes-please}]\n"
            + "  liveness:\n    path: /\n");
        var normalized = NormalizedSpec.Of(spec);

        var again = SpecParser.Parse("diff.yaml", string.Join('\n', normalized.Lines) + "\n");

        Assert.Multiple(() =>
        {
            Assert.That(again.Errors.Select(e => e.ToString()), Is.Empty);
            Assert.That(again.Spec, Is.EqualTo(spec));
            Assert.That(normalized.Lines, Has.Some.EqualTo("    exec:"));
            Assert.That(normalized.Values["healthChecks.startup.exec.command[2]"], Is.EqualTo("test -f /tmp/boot"));
        });
    }

    private static DeploymentSpec Parse(string yaml)
    {
        var result = SpecParser.Parse("spec.yaml", yaml);
        Assert.That(result.Errors, Is.Empty);
        return result.Spec!;
    }
}

using GradientNode.Core.Specs;
using GradientNode.Core.Workflows.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Specs.Parsing;

/// <summary>Top-level <c>x-</c> keys (Docker Compose's extension fields) are ignored in deployment and workflow files.</summary>
[TestFixture]
[Category("Unit")]
internal sealed class ExtensionFieldsTests
{
    [Test]
    public void Drop_TopLevelAnchorMergedIntoTheSpec_ParsesWithTheMergedFields()
    {
        const string text = """
            x-defaults: &d
              image: nginx:1.27
              env:
                - name: MODE
                  value: serve
            x-owner: {team: ml, pager: none}
            name: web
            <<: *d
            resources:
              machineType: C4
              ports: [8080]
            """;

        var result = SpecParser.Parse("spec.yaml", text);

        Assert.That(result.Errors.Select(e => e.ToString()), Is.Empty);
        Assert.Multiple(() =>
        {
            Assert.That(result.Spec!.Image, Is.EqualTo("nginx:1.27"));
            Assert.That(result.Spec.Env.Single().Name, Is.EqualTo("MODE"));
        });
    }

    [Test]
    public void Drop_ErrorInAMergedExtensionField_ReportedWhereTheAnchorWroteIt()
    {
        const string text = """
            x-probe: &probe
              path: /healthz
              periodSeconds: five
            name: web
            image: nginx:1.27
            resources:
              machineType: C4
              ports: [8080]
            healthChecks:
              readiness:
                <<: *probe
            """;

        var result = SpecParser.Parse("spec.yaml", text);

        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "spec.yaml:3:18: healthChecks.readiness.periodSeconds: expected an integer, got 'five'",
        }));
    }

    [TestCase("X-defaults: 1\n", "unknown field 'X-defaults'")]
    [TestCase("resources:\n  machineType: C4\n  ports: [8080]\n  x-note: 1\n", "unknown field 'x-note' in resources")]
    public void Drop_UpperCaseOrBelowTheTopLevel_StillAnUnknownField(string extra, string expected)
    {
        var text = "name: web\nimage: nginx:1.27\n" + extra + (extra.StartsWith("resources", StringComparison.Ordinal) ? string.Empty : "resources: {machineType: C4, ports: [8080]}\n");

        var result = SpecParser.Parse("spec.yaml", text);

        Assert.That(result.Errors.Select(e => e.Message), Has.One.StartsWith(expected));
    }

    [Test]
    public void Drop_WorkflowWithATopLevelJobAnchor_EachJobGetsItAndNoJobIsNamedAfterIt()
    {
        const string text = """
            x-job: &job
              uses: container@v1
              resources: {instance-type: C4}
            jobs:
              prep:
                <<: *job
                with: {image: bash:5, args: [echo, prep]}
              train:
                <<: *job
                needs: [prep]
                with: {image: bash:5, args: [echo, train]}
            """;

        var result = WorkflowParser.Parse("w.yaml", text);

        Assert.That(result.Errors.Select(e => e.ToString()), Is.Empty);
        Assert.That(result.Spec!.Jobs.Select(j => j.Id), Is.EqualTo(new[] { "prep", "train" }));
    }
}

using GradientNode.Core.Specs;
using GradientNode.Core.Specs.Parsing;
using GradientNode.Core.Workflows.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Specs.Parsing;

/// <summary>YAML merge keys (<c>&lt;&lt;: *defaults</c>), as Docker Compose and PyYAML read them, in deployment and workflow files.</summary>
[TestFixture]
[Category("Unit")]
internal sealed class MergeKeysTests
{
    [Test]
    public void Apply_ProbeMergedFromAnAnchorWithAnOverride_OwnKeysWinAndTheRestIsMerged()
    {
        const string text = """
            name: web
            image: nginx:1.27
            resources:
              machineType: C4
              ports: [8080]
            healthChecks:
              readiness: &probe
                path: /healthz
                periodSeconds: 5
                failureThreshold: 3
              liveness:
                <<: *probe
                failureThreshold: 10
            """;

        var result = SpecParser.Parse("spec.yaml", text);

        Assert.That(result.Errors.Select(e => e.ToString()), Is.Empty);
        var liveness = result.Spec!.HealthChecks.Liveness!;
        Assert.Multiple(() =>
        {
            Assert.That(liveness.Path, Is.EqualTo("/healthz"));
            Assert.That(liveness.PeriodSeconds, Is.EqualTo(5));
            Assert.That(liveness.FailureThreshold, Is.EqualTo(10), "the mapping's own key wins over the merged one");
            Assert.That(result.Spec.HealthChecks.Readiness!.FailureThreshold, Is.EqualTo(3), "the anchor itself is unchanged");
        });
    }

    [Test]
    public void Apply_ListOfMergedMappings_TheEarlierWins()
    {
        const string text = """
            name: web
            image: nginx:1.27
            env:
              - &a {name: A, value: from-a}
              - &b {name: B, value: from-b}
              - <<: [*a, *b]
                name: C
            resources:
              machineType: C4
              ports: [8080]
            """;

        var result = SpecParser.Parse("spec.yaml", text);

        Assert.That(result.Errors.Select(e => e.ToString()), Is.Empty);
        Assert.That(result.Spec!.Env[2], Is.EqualTo(result.Spec.Env[0] with { Name = "C" }));
    }

    [Test]
    public void Apply_WorkflowJobsSharingADefaultsAnchor_EachJobGetsThem()
    {
        const string text = """
            jobs:
              prep: &job
                uses: container@v1
                resources:
                  instance-type: C4
                with:
                  image: bash:5
                  args: [echo, prep]
              train:
                <<: *job
                needs: [prep]
                with:
                  image: bash:5
                  args: [echo, train]
            """;

        var result = WorkflowParser.Parse("w.yaml", text);

        Assert.That(result.Errors.Select(e => e.ToString()), Is.Empty);
        var train = result.Spec!.Job("train")!;
        Assert.Multiple(() =>
        {
            Assert.That(train.Uses, Is.EqualTo("container@v1"));
            Assert.That(train.Resources.InstanceType, Is.EqualTo("C4"));
            Assert.That(train.Needs, Is.EqualTo(new[] { "prep" }));
        });
    }

    [Test]
    public void Apply_MergeOfAScalar_ErrorAtTheValueAndNoUnknownField()
    {
        var result = SpecParser.Parse("spec.yaml", "name: web\nimage: nginx:1.27\nresources:\n  <<: 5\n  machineType: C4\n  ports: [8080]\n");

        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            $"spec.yaml:4:7: {MergeKeys.NotAMapping}; got '5'",
        }));
    }

    [Test]
    public void Apply_QuotedMergeKeyAsJsonWritesIt_IsAnOrdinaryUnknownField()
    {
        var result = SpecParser.Parse("spec.yaml", "{\"name\": \"web\", \"image\": \"nginx:1.27\", \"<<\": {\"enabled\": false}, \"resources\": {\"machineType\": \"C4\", \"ports\": [8080]}}");

        Assert.That(result.Errors.Select(e => e.Message), Has.One.StartsWith("unknown field '<<'"));
    }

    [Test]
    public void Apply_ErrorInAMergedValue_PointsWhereTheAnchorWroteIt()
    {
        const string text = """
            name: web
            image: nginx:1.27
            resources:
              machineType: C4
              ports: [8080]
            healthChecks:
              readiness: &probe
                path: /healthz
                periodSeconds: often
              liveness:
                <<: *probe
            """;

        var result = SpecParser.Parse("spec.yaml", text);

        // Before: once per user of the anchor, both at its line.
        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "spec.yaml:9:20: periodSeconds: expected an integer, got 'often' (in an anchor used by healthChecks.liveness, healthChecks.readiness)",
        }));
    }

    [Test]
    public void Apply_ErrorInAValueThreeJobsMerge_ReportedOnceAtTheAnchorNamingTheJobs()
    {
        const string text = """
            x-job: &job
              uses: container@v1
              resources:
                instance-type: C99
            jobs:
              a:
                <<: *job
                with: {image: bash:5, args: [echo, a]}
              b:
                <<: *job
                with: {image: bash:5, args: [echo, b]}
              c:
                <<: *job
                needs: [a, b]
                with: {image: bash:5, args: [echo, c]}
            """;

        var result = WorkflowParser.Parse("w.yaml", text);

        // Before: three identical errors at line 4, one per job.
        Assert.That(result.Errors.Select(e => e.ToString()), Has.One.Matches<string>(e => e.StartsWith("w.yaml:4:", StringComparison.Ordinal) && e.Contains(": resources.instance-type: ", StringComparison.Ordinal) && e.EndsWith("(in an anchor used by jobs a, b, c)", StringComparison.Ordinal)));
        Assert.That(result.Errors, Has.Count.EqualTo(1), string.Join("\n", result.Errors));
    }
}

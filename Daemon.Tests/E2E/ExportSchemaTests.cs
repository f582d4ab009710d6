using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// Issue 18's proof: every exported object validates against the published schemas (Kubernetes core kinds, Argo
/// Workflows, KEDA) — the golden files, and what the published binary writes with every option set.
/// </summary>
[TestFixture]
[Category("E2E")]
[Parallelizable(ParallelScope.Self)]
internal sealed class ExportSchemaTests
{
    private string _scratch = null!;

    private static string TestData => Path.Combine(TestContext.CurrentContext.TestDirectory, "testdata");

    [SetUp]
    public void SetUp() => _scratch = Directory.CreateTempSubdirectory("gn-export-schema-").FullName;

    [TearDown]
    public void TearDown()
    {
        if (_scratch is not null)
        {
            Directory.Delete(_scratch, recursive: true);
            _scratch = null!;
        }
    }

    [Test]
    public async Task Validate_EveryGoldenExport_NoViolation()
    {
        var golden = Directory.GetDirectories(Path.Combine(TestData, "export")).Select(d => Path.Combine(d, "expected.yaml")).Order(StringComparer.Ordinal).ToList();
        Assert.That(golden, Has.Count.GreaterThanOrEqualTo(10));

        var (exitCode, output) = await ManifestSchemaValidator.ValidateAsync(golden);

        Assert.That(exitCode, Is.Zero, output);
        Assert.That(output, Does.Contain($"{golden.Count} file(s) checked, 0 violation(s)"));
    }

    [Test]
    public async Task Validate_PublishedBinaryWithEveryOption_NoViolation()
    {
        await using var node = GradientNodeProcess.Prepare();
        var output = Path.Combine(_scratch, "out");
        string[] specs =
        [
            .. Directory.GetDirectories(Path.Combine(TestData, "specs", "valid")).Where(d => Path.GetFileName(d).StartsWith("seed-", StringComparison.Ordinal)).Select(d => Path.Combine(d, "spec.yaml")),
            .. new[] { "seed-003-datasets", "seed-003-stylegan", "all-actions" }.Select(w => Path.Combine(TestData, "workflows", "valid", w, "workflow.yaml")),
        ];
        // Each under its own file name: a legacy spec without `name` is named after its file, and every seed's file is
        // spec.yaml (two specs exporting one object are refused).
        var deploymentCopies = specs.Where(s => !s.EndsWith("workflow.yaml", StringComparison.Ordinal)).Select(s =>
        {
            var copy = Path.Combine(_scratch, $"{Path.GetFileName(Path.GetDirectoryName(s))}.yaml");
            File.Copy(s, copy);
            return copy;
        }).ToList();
        var workflowCopies = specs.Where(s => s.EndsWith("workflow.yaml", StringComparison.Ordinal)).Select((s, i) =>
        {
            var copy = Path.Combine(_scratch, $"workflow-{i}.yaml");
            File.Copy(s, copy);
            return copy;
        }).ToList();
        List<string> args = ["export", "-o", output, "--namespace", "ml", "--domain", "apps.example.org", "--pvc", "--template", "--pvc-size", "20Gi", "--storage-class", "fast-ssd",
            "--git-image", "mirror.local/git:2", "--s3-image", "mirror.local/aws:2", "--node-selector", "nvidia.com/gpu.product=NVIDIA-A100-SXM4-80GB", "--service-account", "argo-workflow"];
        foreach (var spec in deploymentCopies.Concat(workflowCopies))
        {
            args.AddRange(["-f", spec]);
        }

        var export = await node.CliAsync([.. args]);
        Assert.That(export.ExitCode, Is.Zero, export.ToString());
        var files = Directory.GetFiles(output).Order(StringComparer.Ordinal).ToList();
        Assert.That(files.Select(Path.GetFileName), Has.Some.EndsWith(".pvc.yaml").And.Some.EndsWith(".workflowtemplate.yaml").And.Some.EndsWith(".scaledobject.yaml"));
        Assert.That(File.ReadAllText(files.First(f => f.EndsWith(".workflowtemplate.yaml", StringComparison.Ordinal))), Does.Contain("\n  serviceAccountName: argo-workflow\n"));

        var (exitCode, report) = await ManifestSchemaValidator.ValidateAsync(files);

        Assert.That(exitCode, Is.Zero, report);
        Assert.That(report, Does.Contain($"{files.Count} file(s) checked, 0 violation(s)"));
    }

    [Test]
    public async Task Validate_BrokenManifests_NamesFileKindAndPathOfEachViolation()
    {
        var broken = Path.Combine(_scratch, "broken.yaml");
        await File.WriteAllTextAsync(broken, """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              replicas: two
              selector:
                matchLabels:
                  app: web
              template:
                spec:
                  containers:
                  - name: web
                    image: 5
            ---
            apiVersion: keda.sh/v1alpha1
            kind: ScaledObject
            metadata:
              name: web
            spec:
              scaleTargetRef:
                name: web
            ---
            apiVersion: argoproj.io/v1alpha1
            kind: Workflow
            metadata:
              generateName: train-
            spec:
              templates:
              - name: main
                script:
                  image: python:3
            ---
            apiVersion: example.com/v1
            kind: Gadget
            metadata:
              name: g
            """);

        var (exitCode, output) = await ManifestSchemaValidator.ValidateAsync([broken]);

        Assert.That(exitCode, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain($"{broken}: document 1: Deployment web: spec.replicas: must be integer"));
        Assert.That(output, Does.Contain($"{broken}: document 1: Deployment web: spec.template.spec.containers.0.image: must be string"));
        Assert.That(output, Does.Contain($"{broken}: document 2: ScaledObject web: spec: must have required property triggers"));
        Assert.That(output, Does.Contain($"{broken}: document 3: Workflow train-: spec.templates.0.script:"));
        Assert.That(output, Does.Contain($"{broken}: document 4: Gadget g: no published schema for example.com/v1 Gadget"));
    }
}

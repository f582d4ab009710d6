using GradientNode.Core.Export;
using GradientNode.Core.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Export;

[TestFixture]
[Category("Unit")]
internal sealed class DeploymentExporterTests
{
    private static readonly ExportOptions Options = new() { Namespace = "ml", Domain = "apps.example.org" };

    private static readonly string[][] Cases =
    [
        ["seed-000-v1-full", "specs/valid/seed-000-v1-full/spec.yaml"],
        ["seed-001-legacy-full", "specs/valid/seed-001-legacy-full/spec.yaml"],
        ["seed-001-legacy-container-registry", "specs/valid/seed-001-legacy-container-registry/spec.yaml"],
        ["seed-001-legacy-models", "specs/valid/seed-001-legacy-models/spec.yaml"],
        ["seed-001-legacy-repositories", "specs/valid/seed-001-legacy-repositories/spec.yaml"],
        ["healthchecks-alias", "specs/valid/healthchecks-alias/spec.yaml"],
        ["hello", "export/hello/spec.yaml"],
    ];

    [TestCaseSource(nameof(Cases))]
    public void Export_SeedSpec_MatchesGoldenFile(string caseName, string input)
    {
        var result = DeploymentExporter.Export(Parse(input), input, Options);

        ExportGolden.Check(caseName, result);
    }

    [Test]
    public void Export_SecretsEverywhere_NoSecretValueInOutputAndCommandsHavePlaceholders()
    {
        var spec = Parse("specs/valid/seed-000-v1-full/spec.yaml");

        var result = DeploymentExporter.Export(spec, "spec.yaml", Options);
        var yaml = ManifestWriter.Stream(result.Documents);

        Assert.That(yaml, Does.Contain("key: mySecretEnv").And.Contain("key: secretAccessKey"));
        Assert.That(yaml, Does.Not.Match("value: .?secret:"), "a secret reference left as a literal value");
        Assert.That(yaml, Does.Contain("nginx.ingress.kubernetes.io/auth-secret: my-cool-deployment-basic-auth"));
        Assert.That(result.SecretCommands, Has.Some.Contains("--from-literal=mySecretEnv=<value of secret mySecretEnv>"));
        Assert.That(result.SecretCommands, Has.Some.Contains("htpasswd -nbB paperspace '<value of secret my_paperspace_secret>'"));
    }

    [Test]
    public void Export_LegacyModelsAndRegion_WarnsAndCommentsNeverDrops()
    {
        var spec = Parse("specs/valid/seed-001-legacy-models/spec.yaml") with { Region = "ny2" };

        var result = DeploymentExporter.Export(spec, "spec.yaml", Options);
        var yaml = ManifestWriter.Stream(result.Documents);

        Assert.That(result.Warnings, Has.Some.Contains("models[model-id]: not exported"));
        Assert.That(result.Warnings, Has.Some.Contains("region: not exported"));
        foreach (var warning in result.Warnings)
        {
            Assert.That(yaml, Does.Contain($"# {warning}"));
        }
    }

    [Test]
    public void Export_Disabled_ZeroReplicasAndAutoscalingWarned()
    {
        var spec = Parse("specs/valid/seed-000-v1-full/spec.yaml") with { Enabled = false };

        var result = DeploymentExporter.Export(spec, "spec.yaml", Options);
        var yaml = ManifestWriter.Stream(result.Documents);

        Assert.That(yaml, Does.Contain("replicas: 0"));
        Assert.That(yaml, Does.Not.Contain("kind: ScaledObject"));
        Assert.That(result.Warnings, Has.Some.Contains("resources.autoscaling: not exported"));
    }

    [Test]
    public void Export_CpuAndMemoryOnly_HpaWithFiveMinuteScaleDown()
    {
        var spec = Parse("specs/valid/seed-000-v1-full/spec.yaml");
        var cpuOnly = spec with
        {
            Resources = spec.Resources with
            {
                Autoscaling = spec.Resources.Autoscaling! with { Metrics = new([.. spec.Resources.Autoscaling.Metrics.Where(m => m.Metric != AutoscalingMetric.RequestDuration)]) },
            },
        };

        var yaml = ManifestWriter.Stream(DeploymentExporter.Export(cpuOnly, "spec.yaml", Options with { PersistentVolumes = true }).Documents);

        Assert.That(yaml, Does.Contain("kind: HorizontalPodAutoscaler").And.Contain("averageUtilization: 50").And.Contain("stabilizationWindowSeconds: 300"));
        Assert.That(yaml, Does.Contain("kind: PersistentVolumeClaim").And.Contain("claimName: my-cool-deployment-falcon"));
        ExportGolden.AssertStructure(yaml);
    }

    private static DeploymentSpec Parse(string input)
    {
        var path = Path.Combine(ExportGolden.TestData, input);
        var result = SpecParser.Parse(path, File.ReadAllText(path));
        Assert.That(result.IsValid, Is.True, string.Join('\n', result.Errors));
        return result.Spec!;
    }
}

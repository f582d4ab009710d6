using GradientNode.Core.Export;
using GradientNode.Core.Workflows.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Export;

[TestFixture]
[Category("Unit")]
internal sealed class WorkflowExporterTests
{
    private static readonly string[] Cases = ["seed-003-datasets", "seed-003-stylegan", "all-actions"];

    [TestCaseSource(nameof(Cases))]
    public void Export_Workflow_MatchesGoldenFile(string caseName)
    {
        var result = WorkflowExporter.Export(Parse(caseName), caseName, caseName, new ExportOptions { Namespace = "ml" });

        ExportGolden.Check($"workflow-{caseName}", result);
    }

    [Test]
    public void Export_AllActions_DagFromNeedsAndNoSecretValue()
    {
        var result = WorkflowExporter.Export(Parse("all-actions"), "all", "all.yaml", new ExportOptions { Template = true });
        var yaml = ManifestWriter.Stream(result.Documents);

        Assert.That(yaml, Does.Contain("kind: WorkflowTemplate"));
        Assert.That(yaml, Does.Contain("- name: train\n        template: train\n        dependencies:\n        - fetch\n        - checkout"));
        Assert.That(yaml, Does.Contain("nvidia.com/gpu: 2"));
        Assert.That(yaml, Does.Contain("activeDeadlineSeconds: 3600"));
        Assert.That(yaml, Does.Contain("key: datasets/raw-data/v3"));
        Assert.That(yaml, Does.Not.Match("value: .?secret:"));
        Assert.That(result.Warnings, Has.Some.Contains("jobs.register.uses: not exported"));
        Assert.That(result.SecretCommands, Has.Some.Contains("--from-literal=git_token=<value of secret git_token>"));
    }

    [Test]
    public void Export_HelperImagesAndClaimOptions_StepsAndVolumeClaimTemplatesUseThem()
    {
        var options = new ExportOptions { GitImage = "mirror.local/git:1", S3Image = "mirror.local/aws:1", VolumeSize = "2Ti", StorageClass = "nfs" };

        var yaml = ManifestWriter.Stream(WorkflowExporter.Export(Parse("all-actions"), "all", "all.yaml", options).Documents);

        Assert.That(yaml, Does.Contain("image: mirror.local/git:1").And.Contain("image: mirror.local/aws:1"));
        Assert.That(yaml, Does.Not.Contain(ExportOptions.DefaultGitImage).And.Not.Contain(ExportOptions.DefaultS3Image));
        Assert.That(yaml.Split("storage: 2Ti").Length - 1, Is.EqualTo(3), "one per volume claim template");
        Assert.That(yaml.Split("storageClassName: nfs").Length - 1, Is.EqualTo(3));
    }

    private static WorkflowSpec Parse(string caseName)
    {
        var path = Path.Combine(ExportGolden.TestData, "workflows", "valid", caseName, "workflow.yaml");
        var result = WorkflowParser.Parse(path, File.ReadAllText(path));
        Assert.That(result.IsValid, Is.True, string.Join('\n', result.Errors));
        return result.Spec!;
    }
}

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

    [Test]
    public void Export_StringAndDatasetOutputs_TemplateHasEmptyDirFoldersAtTheirPaths()
    {
        const string text = """
            jobs:
              produce:
                outputs:
                  word: {type: string}
                  data: {type: dataset, with: {ref: results}}
                  scratch: {type: volume}
                uses: container@v1
                with: {image: bash:5, args: [bash, -c, "echo w > /outputs/word; echo d > /outputs/data/x"]}
              consume:
                needs: [produce]
                inputs:
                  scratch: produce.outputs.scratch
                uses: container@v1
                with: {image: bash:5}
            """;
        var parsed = WorkflowParser.Parse("w.yaml", text);
        Assert.That(parsed.IsValid, Is.True, string.Join('\n', parsed.Errors));

        var workflow = (ArgoObject)WorkflowExporter.Export(parsed.Spec!, "w", "w.yaml", new ExportOptions()).Documents[0].Body;

        var produce = workflow.Spec.Templates.Single(t => t.Name == "produce");
        Assert.That(produce.Volumes!.Select(v => (v.Name, v.EmptyDir != null)), Is.EqualTo(new[] { ("outputs", true), ("outputs-data", true) }));
        Assert.That(produce.Container!.VolumeMounts!.Select(m => (m.Name, m.MountPath)), Is.EquivalentTo(new[] { ("outputs", "/outputs"), ("outputs-data", "/outputs/data"), ("produce-scratch", "/outputs/scratch") }));
        var consume = workflow.Spec.Templates.Single(t => t.Name == "consume");
        Assert.That(consume.Volumes, Is.Null, "no string or dataset output: nothing to make");
        Assert.That(consume.Container!.VolumeMounts!.Single().ReadOnlyProperty, Is.True, "a volume input is read-only, as on the node");
    }

    private static WorkflowSpec Parse(string caseName)
    {
        var path = Path.Combine(ExportGolden.TestData, "workflows", "valid", caseName, "workflow.yaml");
        var result = WorkflowParser.Parse(path, File.ReadAllText(path));
        Assert.That(result.IsValid, Is.True, string.Join('\n', result.Errors));
        return result.Spec!;
    }
}

using GradientNode.Core.Export;
using GradientNode.Core.Workflows.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Export;

[TestFixture]
[Category("Unit")]
internal sealed partial class WorkflowExporterTests
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

    [TestCase(false, "kind: Workflow\nmetadata:\n  generateName: all-\n  labels:\n    app.kubernetes.io/name: all\n    app.kubernetes.io/managed-by: gradient-node\n")]
    [TestCase(true, "kind: WorkflowTemplate\nmetadata:\n  labels:\n    app.kubernetes.io/name: all\n    app.kubernetes.io/managed-by: gradient-node\n  name: all\n")]
    public void Export_WorkflowOrTemplate_CarriesTheLabelsEveryDeploymentObjectCarries(bool template, string expected)
    {
        // newuser12: the Deployment, Service, Ingress and HPA carry app.kubernetes.io/name and managed-by, the Workflow did
        // not, so `kubectl get wf -l app.kubernetes.io/managed-by=gradient-node` (or -l app.kubernetes.io/name=all, every
        // run of one file) found nothing.
        var yaml = ManifestWriter.Stream(WorkflowExporter.Export(Parse("all-actions"), "all", "all.yaml", new ExportOptions { Template = template }).Documents);

        Assert.That(yaml, Does.Contain(expected));
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
    public void Export_StringInputWithoutDefault_NoteSaysHowToGiveItAtSubmit()
    {
        // newuser14: exported as a parameter without a value, and argo submit refused the run without -p, with no word here.
        const string text = """
            inputs:
              count: {type: string}
              label: {type: string, optional: true}
              greeting: {type: string, with: {value: hi}}
            jobs:
              echo:
                inputs:
                  count: workflow.inputs.count
                uses: container@v1
                with: {image: busybox}
            """;

        var warnings = ExportText(text).Warnings;

        Assert.Multiple(() =>
        {
            Assert.That(warnings, Has.Some.EqualTo("warning: w.yaml: inputs.count: has no default: Argo refuses to submit the run until it is given: argo submit FILE -p count=VALUE"));
            Assert.That(warnings, Has.Some.StartsWith("warning: w.yaml: inputs.label: has no default:").And.Contains("optional on the node"));
            Assert.That(warnings, Has.None.Contains("inputs.greeting"));
        });
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

        var workflow = ExportedWorkflow(text);

        var produce = workflow.Spec.Templates.Single(t => t.Name == "produce");
        Assert.That(produce.Volumes!.Select(v => (v.Name, v.EmptyDir != null)), Is.EqualTo(new[] { ("outputs", true), ("outputs-data", true) }));
        Assert.That(produce.Container!.VolumeMounts!.Select(m => (m.Name, m.MountPath)), Is.EquivalentTo(new[] { ("outputs", "/outputs"), ("outputs-data", "/outputs/data"), ("produce-scratch", "/outputs/scratch") }));
        var consume = workflow.Spec.Templates.Single(t => t.Name == "consume");
        Assert.That(consume.Volumes, Is.Null, "no string or dataset output: nothing to make");
        Assert.That(consume.Container!.VolumeMounts!.Single().ReadOnlyProperty, Is.True, "a volume input is read-only, as on the node");
    }

    [TestCase("[prep]", true, TestName = "Export_TwoJobsMountOneVolumeAndMayRunTogether_WarnsOnceNamingThemAndTheClaim")]
    [TestCase("[prep, train-a]", false, TestName = "Export_JobsSharingAVolumeOneAfterAnother_NoWarning")]
    public void Export_JobsMountingOneVolume_WarnOnlyWhenTwoMayRunTogether(string trainBNeeds, bool warned)
    {
        var yaml = $$"""
            jobs:
              prep:
                uses: container@v1
                with: {image: busybox}
                outputs:
                  work: {type: volume}
              train-a:
                needs: [prep]
                inputs:
                  work: prep.outputs.work
                uses: container@v1
                with: {image: busybox}
              train-b:
                needs: {{trainBNeeds}}
                inputs:
                  work: prep.outputs.work
                uses: container@v1
                with: {image: busybox}
              report:
                needs: [prep, train-a, train-b]
                inputs:
                  work: prep.outputs.work
                uses: container@v1
                with: {image: busybox}
            """;

        var warnings = ExportText(yaml).Warnings;

        Assert.That(warnings.Where(w => w.Contains("ReadWriteOnce", StringComparison.Ordinal)), Is.EqualTo(warned ? new[]
        {
            "warning: w.yaml: jobs.train-a, jobs.train-b: both mount volume claim 'prep-work' and may run at the same time; the claim is ReadWriteOnce, so on a cluster of several nodes the second pod waits until the first ends (Multi-Attach). To run them side by side, give the claim a storage class with ReadWriteMany (--storage-class, then accessModes: [ReadWriteMany]) or keep the workflow on one node (--node-selector)",
        } : []));
    }

    [Test]
    public void Export_JobIdsThatDifferOnlyInCaseOrUnderscore_EveryTaskTemplateAndClaimNamedApart()
    {
        // Before: prep_data and prep-data both became task and template 'prep-data' (Argo refuses duplicate names).
        const string Yaml = """
            jobs:
              prep_data:
                uses: container@v1
                with: {image: busybox}
                outputs:
                  v: {type: string}
                  work: {type: volume}
              prep-data:
                uses: container@v1
                with: {image: busybox}
                outputs:
                  scratch: {type: volume}
              Train:
                uses: container@v1
                needs: [prep_data, prep-data]
                inputs:
                  v: prep_data.outputs.v
                  scratch: prep-data.outputs.scratch
                with: {image: busybox}
            """;

        var workflow = ExportedWorkflow(Yaml);

        var tasks = workflow.Spec.Templates[0].Dag!.Tasks;
        var second = tasks[1].Name;
        Assert.Multiple(() =>
        {
            Assert.That(tasks.Select(t => t.Name), Is.Unique);
            Assert.That(workflow.Spec.Templates.Select(t => t.Name), Is.Unique);
            Assert.That(tasks[0].Name, Is.EqualTo("prep-data"), "the first in file order keeps its plain name");
            Assert.That(second, Does.Match("^prep-data-[0-9a-f]{6}$"));
            Assert.That(tasks[2].Dependencies, Is.EqualTo(new[] { "prep-data", second }));
            Assert.That(tasks[2].Arguments!.Parameters!.Single().Value, Is.EqualTo("{{tasks.prep-data.outputs.parameters.v}}"));
            Assert.That(workflow.Spec.VolumeClaimTemplates!.Select(c => c.Metadata.Name), Is.EquivalentTo(new[] { "prep-data-work", $"{second}-scratch" }));
            var train = workflow.Spec.Templates.Single(t => t.Name == "train");
            Assert.That(train.Container!.VolumeMounts!.Single().Name, Is.EqualTo($"{second}-scratch"));
        });
    }

    [TestCase("nyc3.digitaloceanspaces.com", "https://nyc3.digitaloceanspaces.com")]
    [TestCase("http://127.0.0.1:9000", "http://127.0.0.1:9000")]
    public void Export_S3DownloadEndpoint_AnUrlTheAwsCliTakes(string endpoint, string expected)
    {
        var yaml = $$"""
            jobs:
              fetch:
                uses: s3-download@v1
                with: {url: s3://bucket/x, access-key: AKIA, secret-access-key: secret:s3_secret, endpoint: {{endpoint}}}
                outputs:
                  data: {type: volume}
            """;

        var workflow = ExportedWorkflow(yaml);

        var command = workflow.Spec.Templates.Single(t => t.Name == "fetch").Container!.Command!;
        Assert.That(command.SkipWhile(c => c != "--endpoint-url").Skip(1).Single(), Is.EqualTo(expected));
    }

    [Test]
    public void Export_DollarsInAJobsCommandArgsAndEnv_EscapedSoKubernetesPassesThemAsWritten()
    {
        const string text = """
            jobs:
              run:
                uses: container@v1
                env: {COPY: "$(HOME)"}
                with: {image: bash:5, command: [bash, -c], args: ["echo $$ $(COPY) $HOME"]}
            """;

        var workflow = ExportedWorkflow(text);

        var container = workflow.Spec.Templates.Single(t => t.Name == "run").Container!;
        var env = new Dictionary<string, string> { ["COPY"] = "x", ["HOME"] = "/root" };
        Assert.Multiple(() =>
        {
            Assert.That(container.Command, Is.EqualTo(new[] { "bash", "-c" }));
            Assert.That(container.Args!.Select(a => KubernetesExpansion.Expand(a, env)), Is.EqualTo(new[] { "echo $$ $(COPY) $HOME" }));
            Assert.That(KubernetesExpansion.Expand(container.Env!.Single(e => e.Name == "COPY").Value, env), Is.EqualTo("$(HOME)"));
        });
    }

    /// <summary>Exports <paramref name="text"/>, read as <c>w.yaml</c>, as workflow <c>w</c> with the default options.</summary>
    private static ExportResult ExportText(string text)
    {
        var parsed = WorkflowParser.Parse("w.yaml", text);
        Assert.That(parsed.IsValid, Is.True, string.Join('\n', parsed.Errors));
        return WorkflowExporter.Export(parsed.Spec!, "w", "w.yaml", new ExportOptions());
    }

    /// <summary>The Argo Workflow that <see cref="ExportText"/> makes of <paramref name="text"/>.</summary>
    private static ArgoObject ExportedWorkflow(string text) => (ArgoObject)ExportText(text).Documents[0].Body;

    private static WorkflowSpec Parse(string caseName)
    {
        var path = Path.Combine(ExportGolden.TestData, "workflows", "valid", caseName, "workflow.yaml");
        var result = WorkflowParser.Parse(path, File.ReadAllText(path));
        Assert.That(result.IsValid, Is.True, string.Join('\n', result.Errors));
        return result.Spec!;
    }
}

using GradientNode.Core.Export;
using GradientNode.Core.Workflows.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Export;

/// <summary>Dataset outputs on a cluster: the keys an exported workflow writes, so that two exported workflows chain.</summary>
internal sealed partial class WorkflowExporterTests
{
    [Test]
    public void Export_DatasetOutputThenAnotherWorkflowReadingItsLatest_TheOutputAlsoWritesTheKeyTheInputReads()
    {
        // Before, an exported output wrote datasets/NAME/{{workflow.uid}} only, so a second exported workflow reading
        // datasets/NAME/latest (its input of the bare name, the node's latest) found nothing: the two did not chain.
        const string producer = """
            jobs:
              make:
                outputs:
                  data: {type: dataset, with: {ref: corpus}}
                  data-latest: {type: string}
                uses: container@v1
                with: {image: bash:5}
            """;
        const string consumer = """
            inputs:
              corpus: {type: dataset, with: {ref: corpus}}
            jobs:
              train:
                inputs:
                  corpus: workflow.inputs.corpus
                uses: container@v1
                with: {image: bash:5}
            """;
        var make = ((ArgoObject)WorkflowExporter.Export(WorkflowParser.Parse("p.yaml", producer).Spec!, "p", "p.yaml", new ExportOptions()).Documents[0].Body)
            .Spec.Templates.Single(t => t.Name == "make");
        var train = ((ArgoObject)WorkflowExporter.Export(WorkflowParser.Parse("c.yaml", consumer).Spec!, "c", "c.yaml", new ExportOptions()).Documents[0].Body)
            .Spec.Templates.Single(t => t.Name == "train");

        Assert.That(make.Outputs!.Artifacts!.Select(a => (a.Name, a.Path, a.S3!.Key)), Is.EqualTo(new[]
        {
            ("data", "/outputs/data", "datasets/corpus/{{workflow.uid}}"),
            ("data-latest-latest", "/outputs/data", "datasets/corpus/latest"), // data-latest is the job's string output
        }));
        Assert.That(train.Inputs!.Artifacts!.Single().S3!.Key, Is.EqualTo(make.Outputs.Artifacts![1].S3!.Key));
    }

    [Test]
    public void Export_DatasetOutput_StoredAsTheFolderFilesNotATarGz()
    {
        // Before (newuser15): Argo's default archive made each key a tar.gz object, beside the folder of plain files the
        // export's warning tells a user to seed a key with.
        const string producer = """
            jobs:
              make:
                outputs:
                  data: {type: dataset, with: {ref: corpus}}
                uses: container@v1
                with: {image: bash:5}
            """;
        var result = WorkflowExporter.Export(WorkflowParser.Parse("p.yaml", producer).Spec!, "p", "p.yaml", new ExportOptions());
        var make = ((ArgoObject)result.Documents[0].Body).Spec.Templates.Single(t => t.Name == "make");

        Assert.Multiple(() =>
        {
            Assert.That(make.Outputs!.Artifacts!.Select(a => a.Archive?.None).ToList(), Has.Count.EqualTo(2).And.All.Not.Null);
            Assert.That(ManifestWriter.Stream(result.Documents), Does.Contain("  archive:\n").And.Contain("  none: {}\n"));
        });
    }

    [Test]
    public void Export_DatasetInputsReadFromTheArtifactRepository_WarnsOncePerReferenceNamingTheKeyToFill()
    {
        const string text = """
            inputs:
              latest: {type: dataset, with: {ref: corpus}}
              stable: {type: dataset, with: {ref: "corpus:stable"}}
            jobs:
              make:
                outputs:
                  corpus: {type: dataset, with: {ref: corpus}}
                uses: container@v1
                with: {image: bash:5}
              train:
                needs: [make]
                inputs:
                  latest: workflow.inputs.latest
                  stable: workflow.inputs.stable
                  fresh: make.outputs.corpus
                  base: {type: dataset, with: {ref: "base:v3"}}
                uses: container@v1
                with: {image: bash:5}
              eval:
                inputs:
                  latest: workflow.inputs.latest
                uses: container@v1
                with: {image: bash:5}
            """;

        var warnings = ExportText(text).Warnings.Where(w => w.Contains("artifact repository", StringComparison.Ordinal)).ToList();

        // On the node a reference resolves in the dataset store; on a cluster only an exported dataset output writes such a
        // key (datasets/NAME/{{workflow.uid}} and datasets/NAME/latest), so a run would fail at its first task with "key does not exist".
        Assert.That(warnings, Is.EqualTo(new[]
        {
            "warning: w.yaml: inputs.latest.with: reads the artifact key datasets/corpus/latest from the cluster's artifact repository, which must hold it before the run: the node's dataset versions are not there, and an exported workflow with a dataset output to corpus writes it when its run succeeds (run that one first) (or copy the version's files there: gradient-node datasets download corpus DIR, then aws s3 cp --recursive DIR s3://BUCKET/datasets/corpus/latest)",
            "warning: w.yaml: inputs.stable.with: reads the artifact key datasets/corpus/stable from the cluster's artifact repository, which must hold it before the run: the node's dataset versions are not there, and an exported dataset output writes datasets/NAME/{{workflow.uid}} and datasets/NAME/latest, never a version's or a tag's key (or copy the version's files there: gradient-node datasets download corpus:stable DIR, then aws s3 cp --recursive DIR s3://BUCKET/datasets/corpus/stable)",
            "warning: w.yaml: jobs.train.inputs.base.with: reads the artifact key datasets/base/v3 from the cluster's artifact repository, which must hold it before the run: the node's dataset versions are not there, and an exported dataset output writes datasets/NAME/{{workflow.uid}} and datasets/NAME/latest, never a version's or a tag's key (or copy the version's files there: gradient-node datasets download base:v3 DIR, then aws s3 cp --recursive DIR s3://BUCKET/datasets/base/v3)",
        }));
    }
}

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
}

using GradientNode.Core.Export;
using GradientNode.Core.Workflows.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Export;

/// <summary>The Workflow's service account: <c>--service-account</c>, or a warning that <c>default</c> needs a role (newuser15).</summary>
internal sealed partial class WorkflowExporterTests
{
    private const string OneJob = """
        jobs:
          run:
            uses: container@v1
            with: {image: bash:5, args: [true]}
        """;

    [Test]
    public void Export_NoServiceAccount_WarnsThatTheDefaultAccountNeedsTheExecutorsRole()
    {
        var result = ExportText(OneJob);

        Assert.Multiple(() =>
        {
            Assert.That(((ArgoObject)result.Documents[0].Body).Spec.ServiceAccountName, Is.Null);
            Assert.That(result.Warnings, Has.One.Contains("serviceAccountName: not set: the pods run as the namespace's default service account")
                .And.Contains("workflowtaskresults.argoproj.io").And.Contains("--service-account NAME"));
        });
    }

    [Test]
    public void Export_ServiceAccountGiven_InTheWorkflowSpecAndNoWarning()
    {
        var parsed = WorkflowParser.Parse("w.yaml", OneJob);

        var result = WorkflowExporter.Export(parsed.Spec!, "w", "w.yaml", new ExportOptions { ServiceAccount = "argo-workflow" });
        var yaml = ManifestWriter.Stream(result.Documents);

        Assert.Multiple(() =>
        {
            Assert.That(yaml, Does.Contain("\n  serviceAccountName: argo-workflow\n"));
            Assert.That(result.Warnings, Has.None.Contains("serviceAccountName"));
        });
    }
}

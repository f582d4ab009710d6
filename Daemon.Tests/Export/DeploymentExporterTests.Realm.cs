using GradientNode.Core.Export;
using GradientNode.Core.Specs;
using k8s.Models;
using NUnit.Framework;

namespace GradientNode.Tests.Export;

/// <summary>A protected deployment's exported realm is the one the node's proxy sends: the browser's prompt does not change on moving.</summary>
internal sealed partial class DeploymentExporterTests
{
    [TestCase("My Demo", "My Demo")]
    [TestCase("demo_v2.1", "demo_v2.1")]
    [TestCase("say \"hi\"", "say-hi")]
    [TestCase("modèle", "modele")]
    public void Export_ProtectedDeployment_RealmIsTheDeploymentsNameOrItsSlug(string name, string realm)
    {
        var spec = SpecParser.Parse("spec.yaml", $"name: '{name}'\nimage: nginx:1.27\nresources: {{machineType: C4, ports: [8080]}}\nbasicAuthKey: secret:gate\n").Spec!;

        var ingress = (V1Ingress)DeploymentExporter.Export(spec, "spec.yaml", Options).Documents.Single(d => d.Body is V1Ingress).Body;

        Assert.That(ingress.Metadata.Annotations["nginx.ingress.kubernetes.io/auth-realm"], Is.EqualTo(realm));
    }
}

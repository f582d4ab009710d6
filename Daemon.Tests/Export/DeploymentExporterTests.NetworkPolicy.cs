using GradientNode.Core.Export;
using GradientNode.Core.Specs;
using k8s.Models;
using NUnit.Framework;

namespace GradientNode.Tests.Export;

/// <summary>A protected deployment's pods admit only the ingress controller, as the node admits only root to a replica.</summary>
internal sealed partial class DeploymentExporterTests
{
    [Test]
    public void Export_ProtectedDeployment_NetworkPolicyAdmitsOnlyTheIngressControllersPodsOnTheEndpointPort()
    {
        var spec = SpecParser.Parse("spec.yaml", "name: app\nimage: nginx:1.27\nresources: {machineType: C4, ports: [8080, 9090]}\nbasicAuthKey: secret:gate\n").Spec!;

        var result = DeploymentExporter.Export(spec, "spec.yaml", Options with { IngressNamespace = "edge" });

        var policy = (V1NetworkPolicy)result.Documents.Single(d => d.Body is V1NetworkPolicy).Body;
        var from = policy.Spec.Ingress.Single().FromProperty.Single();
        Assert.Multiple(() =>
        {
            Assert.That(policy.Metadata.Name, Is.EqualTo("app-ingress-only"));
            Assert.That(policy.Spec.PodSelector.MatchLabels, Is.EquivalentTo(new Dictionary<string, string> { ["app.kubernetes.io/name"] = "app" }));
            Assert.That(policy.Spec.PolicyTypes, Is.EqualTo(new[] { "Ingress" }));
            Assert.That(from.NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"], Is.EqualTo("edge"));
            Assert.That(from.PodSelector.MatchLabels["app.kubernetes.io/name"], Is.EqualTo("ingress-nginx"));
            Assert.That(policy.Spec.Ingress.Single().Ports.Select(p => p.Port.Value), Is.EqualTo(new[] { "8080" }), "the endpoint's port only");
            Assert.That(result.Warnings, Has.Some.Contains("must enforce NetworkPolicy"));
        });
    }

    [Test]
    public void Export_UnprotectedDeployment_NoNetworkPolicy()
    {
        var spec = SpecParser.Parse("spec.yaml", "name: app\nimage: nginx:1.27\nresources: {machineType: C4, ports: [8080]}\n").Spec!;

        Assert.That(DeploymentExporter.Export(spec, "spec.yaml", Options).Documents.Select(d => d.Body), Has.None.InstanceOf<V1NetworkPolicy>());
    }
}

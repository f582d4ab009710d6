using GradientNode.Core.Export;
using GradientNode.Core.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Export;

/// <summary>Probes as the node runs them: readiness on the first port when the spec has none, the probe's host a header.</summary>
internal sealed partial class DeploymentExporterTests
{
    [Test]
    public void Export_NoReadinessProbe_PodReadyOnceTheFirstPortAcceptsAsOnTheNode()
    {
        // Before: no readinessProbe at all, so a pod got traffic as soon as its container ran, before the app listened
        // (found by the deployments tryout); the node waits for the first port to accept a connection.
        var spec = Parse("specs/valid/seed-000-v1-full/spec.yaml");
        var bare = spec with { HealthChecks = spec.HealthChecks with { Readiness = null } };

        var container = DeploymentExporter.Export(bare, "spec.yaml", Options).Documents
            .Select(d => d.Body).OfType<k8s.Models.V1Deployment>().Single().Spec.Template.Spec.Containers[0];

        Assert.That(container.ReadinessProbe?.TcpSocket?.Port.Value, Is.EqualTo(bare.Resources.FirstPort.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public void Export_ProbeHost_IsAHostHeaderNotTheKubeletsTarget()
    {
        var text = """
            name: app
            image: nginx:1.27
            resources: {machineType: C4, ports: [8080]}
            healthChecks:
              readiness:
                path: /ready
                host: api.internal:8080
                headers: [{name: host, value: other}, {name: X-Token, value: t}]
              liveness: {path: /live}
            """;
        var parsed = SpecParser.Parse("spec.yaml", text);
        Assert.That(parsed.IsValid, Is.True, string.Join('\n', parsed.Errors));

        var documents = DeploymentExporter.Export(parsed.Spec!, "spec.yaml", Options).Documents;

        var container = documents.Select(d => d.Body).OfType<k8s.Models.V1Deployment>().Single().Spec.Template.Spec.Containers.Single();
        Assert.Multiple(() =>
        {
            Assert.That(container.ReadinessProbe.HttpGet.Host, Is.Null);
            Assert.That(container.ReadinessProbe.HttpGet.HttpHeaders.Select(h => $"{h.Name}: {h.Value}"), Is.EqualTo(new[] { "X-Token: t", "Host: api.internal:8080" }), "host wins over a Host header, as on the node");
            Assert.That(container.LivenessProbe.HttpGet.HttpHeaders, Is.Null);
        });
    }
}

using GradientNode.Core.Export;
using GradientNode.Core.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Export;

/// <summary>Values with <c>$</c>, which Kubernetes expands in a container's command, args and env and the node does not.</summary>
internal sealed partial class DeploymentExporterTests
{
    [Test]
    public void Export_DollarsInCommandAndEnv_EscapedSoKubernetesPassesThemAsWritten()
    {
        // Kubernetes replaces $(NAME) in a container's command, args and env values with another env var and $$ with $;
        // the node passes them as written (found by adversary6: `echo $$` printed `$`, an env value `$(TOKEN)` became the token).
        const string command = "echo $$ $(TOKEN) $HOME $$$( $(NOPE) $";
        var text = $$"""
            image: bash:5
            port: 8080
            command: [bash, -c, "{{command}}"]
            env:
              - {name: TOKEN, value: secret:token}
              - {name: COPY, value: "$(TOKEN)"}
              - {name: PRICE, value: "$$5 or $5"}
            resources: {instanceType: C4}
            """;
        var parsed = SpecParser.Parse("spec.yaml", text);
        Assert.That(parsed.IsValid, Is.True, string.Join('\n', parsed.Errors));

        var result = DeploymentExporter.Export(parsed.Spec!, "spec.yaml", Options);

        var app = result.Documents.Select(d => d.Body).OfType<k8s.Models.V1Deployment>().Single().Spec.Template.Spec.Containers.Single();
        var env = new Dictionary<string, string> { ["TOKEN"] = "the-token", ["COPY"] = "x", ["PRICE"] = "y", ["HOME"] = "/root" };
        Assert.Multiple(() =>
        {
            Assert.That(app.Command[2], Is.EqualTo("echo $$$ $$(TOKEN) $HOME $$$$$$( $$(NOPE) $"));
            Assert.That(KubernetesExpansion.Expand(app.Command[2], env), Is.EqualTo(command));
            Assert.That(KubernetesExpansion.Expand(app.Env.Single(e => e.Name == "COPY").Value, env), Is.EqualTo("$(TOKEN)"));
            Assert.That(KubernetesExpansion.Expand(app.Env.Single(e => e.Name == "PRICE").Value, env), Is.EqualTo("$$5 or $5"));
        });
    }
}

using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>An S3 integration whose endpoint answers with a redirect, through the published binary.</summary>
internal sealed partial class IntegrationsTests
{
    [Test]
    public async Task S3Integration_EndpointRedirects_FailsNamingTheIntegrationStatusAndLocationHostNotFollowingIt()
    {
        // Before: "Invalid S3 URI - hostname does not appear to be a valid S3 endpoint" (307) or a retried
        // "301 MovedPermanently: Error making request …", naming nothing the author could act on.
        await using var elsewhere = new HostileS3Server { ListedSize = 3, SentSize = 3 };
        await elsewhere.StartAsync();
        var host = new Uri(elsewhere.Endpoint).Authority;
        await using var redirecting = new HostileS3Server { RedirectStatus = 307, RedirectLocation = $"http://{host}/{_sources.S3Bucket}/?token=TOPSECRET" };
        await redirecting.StartAsync();
        var set = await _node.CliWithInputAsync("redirect-secret-value", "secrets", "set", "s3key");
        Assert.That(set.ExitCode, Is.Zero, set.ToString());

        await _node.WriteSpecAsync("app.yaml", SpecYaml.V1("moved s3", replicas: 1, extra: S3Integration("AKIDREDIRECT", redirecting.Endpoint)));
        var status = await _node.WaitForStatusAsync("moved s3", s => s.State == DeploymentState.Failed, "Failed for the redirect");

        Assert.Multiple(() =>
        {
            Assert.That(status.Message, Does.Contain("integrations[weights]")
                .And.Contain($"the endpoint {redirecting.Endpoint} answered 307 (a redirect to {host})")
                .And.Contain("the node does not follow redirects with credentials"));
            Assert.That(status.Message, Does.Not.Contain("Invalid S3 URI").And.Not.Contain("TOPSECRET"));
            Assert.That(elsewhere.Requests, Is.Zero, "the redirect is not followed");
            Assert.That(_node.Output, Does.Not.Contain("redirect-secret-value").And.Not.Contain("TOPSECRET"));
        });
    }
}

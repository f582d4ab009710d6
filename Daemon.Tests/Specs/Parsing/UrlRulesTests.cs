using GradientNode.Core.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Specs.Parsing;

/// <summary>Object-store endpoints and bucket URLs are checked at parse time (a bad one used to throw UriFormatException in the reconciler).</summary>
[TestFixture]
[Category("Unit")]
internal sealed class UrlRulesTests
{
    [TestCase("'a b'", "whitespace")]
    [TestCase("ftp://x.example", "http(s) URL or a host name")]
    [TestCase("https://", "http(s) URL or a host name")]
    [TestCase("https://user:pw@x.example", "http(s) URL or a host name")]
    [TestCase("'-x'", "must not start with '-'")]
    public void Parse_BadSpacesEndpoint_ReportsTheField(string endpoint, string why) =>
        Assert.That(SpecParser.Parse("spec.yaml", Spaces(endpoint, "bucket/models")).Errors.Single().ToString(),
            Does.StartWith("spec.yaml:10:15: integrations[0].endpoint: ").And.Contain(why));

    [TestCase("https://nyc3.digitaloceanspaces.com")]
    [TestCase("nyc3.digitaloceanspaces.com")]
    [TestCase("http://127.0.0.1:4569")]
    [TestCase("my-bucket.nyc3.digitaloceanspaces.com/prefix")]
    public void Parse_UsualEndpoints_AreAccepted(string endpoint) =>
        Assert.That(SpecParser.Parse("spec.yaml", Spaces(endpoint, "bucket/models")).Errors, Is.Empty);

    [Test]
    public void Parse_SpacesUrlWithSpace_ReportsTheUrl() =>
        Assert.That(SpecParser.Parse("spec.yaml", Spaces("nyc3.digitaloceanspaces.com", "'my bucket/x'")).Errors.Single().ToString(),
            Does.StartWith("spec.yaml:11:10: integrations[0].url: ").And.Contain("whitespace"));

    [TestCase("s3://", "BUCKET")]
    [TestCase("s3://b%20/x", "BUCKET")]
    [TestCase("bucket/x", "must start with s3://")]
    public void Parse_BadS3Url_ReportsTheUrl(string url, string why) =>
        Assert.That(SpecParser.Parse("spec.yaml", S3(url, "https://s3.example")).Errors.Single().ToString(),
            Does.StartWith("spec.yaml:10:10: integrations[0].url: ").And.Contain(why));

    [Test]
    public void Parse_BadS3Endpoint_ReportsTheEndpoint() =>
        Assert.That(SpecParser.Parse("spec.yaml", S3("s3://b/x", "'a b'")).Errors.Single().ToString(),
            Does.StartWith("spec.yaml:11:15: integrations[0].endpoint: "));

    private static string Head => "apiVersion: v1\nname: x\nimage: y\nresources:\n  machineType: C4\n  ports: [8080]\nintegrations:\n";

    private static string Spaces(string endpoint, string url) =>
        Head + $"  - type: spaces\n    name: m\n    endpoint: {endpoint}\n    url: {url}\n";

    private static string S3(string url, string endpoint) =>
        Head + $"  - type: s3\n    name: m\n    url: {url}\n    endpoint: {endpoint}\n";
}

using GradientNode.Core.Reconciliation;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

[TestFixture]
[Category("Unit")]
internal sealed class ReconcilerOptionsTests
{
    [TestCase("http://0.0.0.0:80", "example.com", "http://hello.example.com/")]
    [TestCase("http://0.0.0.0:8080", "localhost", "http://hello.localhost:8080/")]
    [TestCase("https://0.0.0.0:443", "example.com", "https://hello.example.com/")]
    [TestCase("https://0.0.0.0:8443", "example.com", "https://hello.example.com:8443/")]
    [TestCase("http://0.0.0.0:443", "example.com", "http://hello.example.com:443/")]
    public void EndpointFor_PublicBase_OmitsOnlyTheSchemesDefaultPort(string publicBase, string domain, string expected)
    {
        var options = new ReconcilerOptions { PublicBase = new Uri(publicBase), Domain = domain };

        Assert.That(options.EndpointFor("hello"), Is.EqualTo(expected));
    }

    [Test]
    public void EndpointFor_Defaults_IsSlugDotLocalhostOn8080()
    {
        Assert.That(new ReconcilerOptions().EndpointFor("my-app"), Is.EqualTo("http://my-app.localhost:8080/"));
    }
}

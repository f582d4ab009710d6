using GradientNode.Core.Registries;
using NUnit.Framework;

namespace GradientNode.Tests.Registries;

[TestFixture]
[Category("Unit")]
internal sealed class RegistryHostTests
{
    [TestCase("registry.example:5000", "registry.example:5000/ns/app:1", true)]
    [TestCase("https://registry.example:5000/v2/", "registry.example:5000/ns/app:1", true)]
    [TestCase("REGISTRY.Example:5000", "registry.example:5000/app", true)]
    [TestCase("https://registry.example", "registry.example/app:1", true)]
    [TestCase("https://registry.example", "registry.example:443/app:1", true)]
    [TestCase("127.0.0.1:5000", "127.0.0.1:5000/app:1", true)]
    [TestCase("localhost:5000", "localhost:5000/app", true)]
    [TestCase("docker.io", "nginx:1", true)]
    [TestCase("https://index.docker.io/v1/", "library/nginx", true)]
    [TestCase("registry-1.docker.io", "docker.io/acme/app:2", true)]
    [TestCase("https://registry.hub.docker.com", "index.docker.io/acme/app", true)]
    [TestCase("docker.io", "registry-1.docker.io/acme/app", true)]
    [TestCase("prod.example", "other.example/x:1", false)]
    [TestCase("registry.example:5000", "registry.example:5001/app", false)]
    [TestCase("registry.example:5000", "registry.example/app", false)]
    [TestCase("registry.example", "registry.example.evil.test/app", false)]
    [TestCase("127.0.0.1:5000", "127.0.0.1:5001/app", false)]
    [TestCase("registry.example", "nginx", false)]
    [TestCase("docker.io", "ghcr.io/acme/app", false)]
    [TestCase("docker.io", "localhost/app", false)]
    [TestCase("not a url", "nginx", false)]
    [TestCase("registry.example", "NOT AN IMAGE", false)]
    public void Matches_ConnectionAndImage_TrueOnlyForTheSameHost(string connectionUrl, string image, bool expected) =>
        Assert.That(RegistryHost.Matches(connectionUrl, image), Is.EqualTo(expected));

    [TestCase("nginx", "docker.io")]
    [TestCase("ghcr.io/acme/app:1", "ghcr.io")]
    [TestCase("Registry.Example:5000/app", "registry.example:5000")]
    public void OfImage_Reference_NormalisedHost(string image, string expected) =>
        Assert.That(RegistryHost.OfImage(image), Is.EqualTo(expected));
}

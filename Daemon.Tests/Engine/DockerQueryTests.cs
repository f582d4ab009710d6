using System.Text;
using System.Text.Json;
using GradientNode.Core.Engine;
using NUnit.Framework;

namespace GradientNode.Tests.Engine;

[TestFixture]
[Category("Unit")]
internal sealed class DockerQueryTests
{
    [Test]
    public void EncodeAuth_Credentials_IsBase64UrlJson()
    {
        var encoded = DockerQuery.EncodeAuth(new RegistryAuth("user", "p+ss/w?rd>>>", "127.0.0.1:5000"));

        var json = Encoding.UTF8.GetString(Convert.FromBase64String(encoded.Replace('-', '+').Replace('_', '/')));
        using var doc = JsonDocument.Parse(json);
        Assert.Multiple(() =>
        {
            Assert.That(encoded, Does.Not.Contain("+").And.Not.Contain("/"));
            Assert.That(doc.RootElement.GetProperty("username").GetString(), Is.EqualTo("user"));
            Assert.That(doc.RootElement.GetProperty("password").GetString(), Is.EqualTo("p+ss/w?rd>>>"));
            Assert.That(doc.RootElement.GetProperty("serveraddress").GetString(), Is.EqualTo("127.0.0.1:5000"));
        });
    }

    [Test]
    public void RegistryAuth_ToString_HidesPassword() =>
        Assert.That(new RegistryAuth("user", "secret-pw", "r").ToString(), Does.Not.Contain("secret-pw"));

    [Test]
    public void LabelFilters_ForEvents_AddsContainerType()
    {
        var query = Uri.UnescapeDataString(DockerQuery.LabelFilters(["a=b", "c"], withType: true));

        Assert.That(query, Is.EqualTo("""{"type":["container"],"label":["a=b","c"]}"""));
    }

    [Test]
    public void EscapePath_ImageWithRegistry_KeepsSlashes() =>
        Assert.That(DockerQuery.EscapePath("reg:5000/ns/repo:1"), Is.EqualTo("reg%3A5000/ns/repo%3A1"));
}

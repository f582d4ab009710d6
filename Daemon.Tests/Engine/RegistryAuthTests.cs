using GradientNode.Core.Engine;
using NUnit.Framework;

namespace GradientNode.Tests.Engine;

[TestFixture]
[Category("Unit")]
internal sealed class RegistryAuthTests
{
    [Test]
    public void ToString_WithPassword_HidesThePassword() =>
        Assert.That(new RegistryAuth("alice", "s3cr3t-value", "registry.example").ToString(), Does.Not.Contain("s3cr3t-value").And.Contain("alice"));
}

using GradientNode.Daemon.Api;
using NUnit.Framework;

namespace GradientNode.Tests.Api;

[TestFixture]
[Category("Unit")]
internal sealed class SlugOrderTests
{
    [Test]
    public void Compare_NumberedSlugs_OrdersTheNumbersByValue()
    {
        string[] slugs = ["model-server-10", "model-server-2", "echo-app", "model-server-1", "model-server-25", "model-server-19", "model-server"];

        Assert.That(slugs.Order(SlugOrder.Instance), Is.EqualTo(new[]
        {
            "echo-app", "model-server", "model-server-1", "model-server-2", "model-server-10", "model-server-19", "model-server-25",
        }));
    }

    [Test]
    public void Compare_SameNumberWrittenWithLeadingZeros_IsStillATotalOrder()
    {
        Assert.Multiple(() =>
        {
            Assert.That(SlugOrder.Instance.Compare("a-01", "a-1"), Is.Not.Zero);
            Assert.That(Math.Sign(SlugOrder.Instance.Compare("a-01", "a-1")), Is.EqualTo(-Math.Sign(SlugOrder.Instance.Compare("a-1", "a-01"))));
            Assert.That(SlugOrder.Instance.Compare("a-1", "a-1"), Is.Zero);
        });
    }

    [TestCase("gpu2-b", "gpu10-a")]
    [TestCase("v1-9", "v1-10")]
    [TestCase("abc", "abd")]
    [TestCase("ab", "abc")]
    [TestCase("a-99999999999999999999", "a-100000000000000000000")]
    public void Compare_FirstBeforeSecond_IsNegative(string first, string second) =>
        Assert.That(SlugOrder.Instance.Compare(first, second), Is.Negative);
}

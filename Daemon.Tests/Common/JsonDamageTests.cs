using System.Text;
using GradientNode.Core.Common;
using GradientNode.Core.Secrets;
using NUnit.Framework;

namespace GradientNode.Tests.Common;

[TestFixture]
[Category("Unit")]
internal sealed class JsonDamageTests
{
    [TestCase("", "it is empty (0 bytes)")]
    [TestCase("  \n", "it holds no JSON value (only white space)")]
    [TestCase("[\"hunter2-secret", "it ends early (cut short: a write that did not finish, or a full disk)")]
    [TestCase("{\"a\":", "it ends early (cut short: a write that did not finish, or a full disk)")]
    [TestCase("[\"a\"] trailing-hunter2", "it is not valid JSON at line 1, byte 7")]
    [TestCase("{\"a\": [1, 2}", "it is not valid JSON at line 1, byte 12")]
    [TestCase("not json hunter2", "it is not valid JSON at line 1, byte 2")]
    [TestCase("{\"a\": 1}", "it is JSON, but not of the expected shape (at $)")]
    [TestCase("[1]", "it is JSON, but not of the expected shape (at $[0])")]
    [TestCase("null", "it holds JSON null instead of the saved state")]
    public void Problem_DamagedBytes_SaysWhatIsWrongWithoutQuotingThem(string text, string expected)
    {
        var problem = JsonDamage.Problem(Encoding.UTF8.GetBytes(text), SecretJsonContext.Default.ListString, out var value);

        Assert.Multiple(() =>
        {
            Assert.That(problem, Is.EqualTo(expected));
            Assert.That(problem, Does.Not.Contain("hunter2"));
            Assert.That(value, Is.Null);
        });
    }

    [Test]
    public void Problem_GoodBytes_NullAndTheValue()
    {
        var problem = JsonDamage.Problem(Encoding.UTF8.GetBytes("[\"a\", \"b\"]\n"), SecretJsonContext.Default.ListString, out var value);

        Assert.Multiple(() =>
        {
            Assert.That(problem, Is.Null);
            Assert.That(value, Is.EqualTo(new[] { "a", "b" }));
        });
    }
}

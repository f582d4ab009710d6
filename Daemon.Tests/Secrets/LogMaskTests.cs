using GradientNode.Core.Secrets;
using GradientNode.Core.Workflows.Execution;
using GradientNode.Core.Workflows.Runs;
using NUnit.Framework;

namespace GradientNode.Tests.Secrets;

[TestFixture]
[Category("Unit")]
internal sealed class LogMaskTests
{
    [Test]
    public void Apply_LineWithTheSecretTwice_HidesBoth()
    {
        var mask = new LogMask(["s3cr3t-token"]);

        Assert.That(mask.Apply("auth s3cr3t-token, again s3cr3t-token."), Is.EqualTo("auth ***, again ***."));
    }

    [Test]
    public void Apply_MultiLineSecret_HidesEachOfItsLines()
    {
        var mask = new LogMask(["-----BEGIN KEY-----\nMIIEvQIBADANBg\r\n-----END KEY-----\n"]);

        Assert.Multiple(() =>
        {
            Assert.That(mask.Apply("MIIEvQIBADANBg"), Is.EqualTo("***"));
            Assert.That(mask.Apply("> -----END KEY-----"), Is.EqualTo("> ***"));
        });
    }

    [Test]
    public void Apply_OneSecretInsideAnother_HidesTheLongerWhole()
    {
        var mask = new LogMask(["abcd", "xxabcdxx"]);

        Assert.That(mask.Apply("1 xxabcdxx 2 abcd"), Is.EqualTo("1 *** 2 ***"));
    }

    [Test]
    public void Apply_ValueInsideALongerWord_HiddenThereToo()
    {
        var mask = new LogMask(["world"]);

        Assert.That(mask.Apply("hello world, token=world42"), Is.EqualTo("hello ***, token=***42"));
    }

    [Test]
    public void Apply_ValueShorterThanTheMinimum_LeftAlone()
    {
        var mask = new LogMask(["on", "123", " ab "]);

        Assert.Multiple(() =>
        {
            Assert.That(mask.IsEmpty, Is.True);
            Assert.That(mask.Apply("on 123 ab"), Is.EqualTo("on 123 ab"));
        });
    }

    [Test]
    public void Mask_JobEnv_HidesItsSecretsValuesNotItsLiteralsAndSkipsAMissingOne()
    {
        var secrets = new JobSecrets(name => name == "token" ? "value-of-token" : null);
        var job = new JobPlan
        {
            Id = "j", Action = "container@v1",
            Env = new Dictionary<string, string> { ["T"] = "secret:token", ["M"] = "secret:missing", ["L"] = "literal-value", ["E"] = "secret:ephemeral:abcd" },
        };

        var mask = secrets.Mask(job);

        Assert.That(mask.Apply("value-of-token literal-value"), Is.EqualTo("*** literal-value"));
    }
}

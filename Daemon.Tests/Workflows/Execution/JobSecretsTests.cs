using GradientNode.Core.Workflows.Execution;
using GradientNode.Core.Workflows.Runs;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Execution;

[TestFixture]
[Category("Unit")]
internal sealed class JobSecretsTests
{
    private static readonly JobSecrets Secrets = new(n => n == "token" ? "s3cr3t" : null);

    [Test]
    public void Values_EnvWithSecretAndLiteral_OnlyTheSecretsValue()
    {
        var job = new JobPlan
        {
            Id = "train",
            Action = "container@v1",
            Env = new Dictionary<string, string> { ["TOKEN"] = "secret:token", ["MODE"] = "fast" },
        };

        Assert.Multiple(() =>
        {
            Assert.That(Secrets.Values(job), Is.EqualTo(new[] { "s3cr3t" }));
            Assert.That(Secrets.Environment(job), Is.EquivalentTo(new[] { "TOKEN=s3cr3t", "MODE=fast" }));
        });
    }

    [Test]
    public void Values_MissingSecret_ThrowsJobFailedNamingTheField()
    {
        var job = new JobPlan { Id = "train", Action = "container@v1", Env = new Dictionary<string, string> { ["TOKEN"] = "secret:nope" } };

        var ex = Assert.Throws<JobFailedException>(() => Secrets.Values(job));

        Assert.That(ex!.Message, Does.StartWith("jobs.train.env.TOKEN: secret 'nope' does not exist on this node"));
    }
}

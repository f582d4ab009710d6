using GradientNode.Core.Engine;
using GradientNode.Core.Workflows.Execution;
using GradientNode.Core.Workflows.Runs;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Execution;

[TestFixture]
[Category("Unit")]
internal sealed class JobImagesTests
{
    [Test]
    public void EnsureAsync_PullFails_ErrorNamesTheImageOnceWithTheEnginesWords()
    {
        const string Image = "gradient-test/nope:9";
        const string Answer = "Get \"https://registry-1.docker.io/v2/\": dial tcp: lookup registry-1.docker.io: no such host";
        var engine = new ScriptedPullEngine();
        engine.Script.Add((() => throw DockerErrors.ToPullException(Image, Answer, 500), new PullProgress("Downloading", "a", 1, 2)));
        var job = new JobPlan { Id = "train", Action = "container@v1", Image = Image };

        var ex = Assert.ThrowsAsync<JobFailedException>(() => new JobImages(engine, null).EnsureAsync(job, Image, CancellationToken.None));

        Assert.That(ex!.Message, Is.EqualTo($"jobs.train: image '{Image}' is not on the node and could not be pulled (without credentials): {Answer}"));
    }

    [Test]
    public void EnsureAsync_ImageOnTheNodeButARegistryNotStored_ErrorNamingTheRegistryAsForDeployments()
    {
        var engine = new ScriptedPullEngine();
        engine.AddImage("gradient-test/web:1");
        var job = new JobPlan { Id = "train", Action = "container@v1", Image = "gradient-test/web:1", Registries = ["my-registry"] };

        var ex = Assert.ThrowsAsync<JobFailedException>(() => new JobImages(engine, null).EnsureAsync(job, "gradient-test/web:1", CancellationToken.None));

        Assert.That(ex!.Message, Does.StartWith("jobs.train: container-registries names 'my-registry', which is not a stored registry connection (add it: gradient-node registries add my-registry"));
    }
}

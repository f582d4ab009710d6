using GradientNode.Core.Engine;
using GradientNode.Core.Workflows.Runs;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Runs;

/// <summary>
/// A container job's environment and arguments together, with its secrets' values and the image's own ENV, against Linux's
/// 2 MiB (ARG_MAX): before (workflows17) nothing counted them, and such a job ended FAILED with <c>argument list too long</c>.
/// </summary>
[TestFixture]
[Category("Unit")]
internal sealed class RunArgumentCheckTests
{
    private static readonly string Secret = new('s', 8000); // the node stores secrets of at most 8192 bytes

    [Test]
    public void TooLarge_SecretsTakeTheJobOverArgMax_OneLineNamingTheJobTotalAndLargestNeverAValue()
    {
        var env = Enumerable.Range(0, 270).ToDictionary(i => $"K{i:000}", i => i == 0 ? "plain" : "secret:cert");
        var plan = new RunPlan
        {
            Workflow = "w",
            Jobs =
            [
                new JobPlan { Id = "train", Action = "script@v1", Script = "echo", Env = env },
                new JobPlan { Id = "fetch", Action = "git-checkout@v1", Env = env }, // runs in the node: no process gets its env
            ],
        };

        var lines = RunArgumentCheck.TooLarge(plan, name => name == "cert" ? Secret : null, _ => null);

        Assert.Multiple(() =>
        {
            Assert.That(lines, Is.EqualTo(new[]
            {
                "jobs.train: its environment and arguments come to 2159923 bytes (each string with its NUL and pointer, and 4096 for what the engine adds); Linux starts no process with more than 2097152 (ARG_MAX, a quarter of the container's 8 MiB stack limit); the largest: env.K001 (secret 'cert') 8014, env.K002 (secret 'cert') 8014, env.K003 (secret 'cert') 8014: give long text as a string input or a dataset, which the job reads from /inputs/NAME",
            }));
            Assert.That(string.Join("\n", lines), Does.Not.Contain("sss"));
        });
    }

    [Test]
    public void Problem_JobUnderTheLimitButTheImagesEnvTakesItOver_NamesTheImagesEnv()
    {
        var job = new JobPlan { Id = "train", Action = "container@v1", Args = ["x"], Env = new Dictionary<string, string> { ["MODE"] = "fast" } };
        var env = new Dictionary<string, string?> { ["MODE"] = "fast" };
        var image = new ImageDetails("sha256:1", ["big:1"], ["/bin/sh"], ["ignored"], [], null, [.. Enumerable.Range(0, 18).Select(i => $"IMG{i:00}={new string('i', 120_000)}"), "MODE=slow"]);

        Assert.Multiple(() =>
        {
            Assert.That(RunArgumentCheck.Problem(job, env, image: null), Is.Null);
            Assert.That(RunArgumentCheck.Problem(job, env, image), Does.StartWith(
                "jobs.train: its environment and arguments come to 2164410 bytes"));
            Assert.That(RunArgumentCheck.Problem(job, env, image), Does.Contain("the largest: env.IMG00 (the image's ENV) 120015, env.IMG01 (the image's ENV) 120015"), "the job's MODE wins over the image's");
        });
    }
}

using GradientNode.Core.Secrets;
using GradientNode.Core.Workflows.Execution;
using GradientNode.Core.Workflows.Runs;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Execution;

[TestFixture]
[Category("Unit")]
internal sealed class JobSecretsTests
{
    [Test]
    public void Values_EnvWithSecretAndLiteral_OnlyTheSecretsValueLookedUpOnce()
    {
        var lookups = 0;
        var secrets = new JobSecrets(n =>
        {
            lookups++;
            return n == "token" ? "s3=cr3t" : null;
        });
        var job = new JobPlan
        {
            Id = "train",
            Action = "container@v1",
            Env = new Dictionary<string, string> { ["TOKEN"] = "secret:token", ["MODE"] = "fast" },
        };

        var env = secrets.Environment(job);

        Assert.Multiple(() =>
        {
            Assert.That(env, Is.EquivalentTo(new[] { "TOKEN=s3=cr3t", "MODE=fast" }));
            Assert.That(JobSecrets.Values(job, env), Is.EqualTo(new[] { "s3=cr3t" }));
            Assert.That(lookups, Is.EqualTo(1), "the values are read from the resolved lines");
        });
    }

    [Test]
    public void Environment_MissingSecret_ThrowsJobFailedNamingTheField()
    {
        var secrets = new JobSecrets(_ => null);
        var job = new JobPlan { Id = "train", Action = "container@v1", Env = new Dictionary<string, string> { ["TOKEN"] = "secret:nope" } };

        var ex = Assert.Throws<JobFailedException>(() => secrets.Environment(job));

        Assert.That(ex!.Message, Does.StartWith("jobs.train.env.TOKEN: secret 'nope' does not exist on this node"));
    }

    [Test]
    public void Environment_SecretTooLongForAnEnvEntry_ThrowsJobErrorNamingJobAndVariableNotTheValue()
    {
        var secrets = new JobSecrets(n => n == "cert" ? new string('c', 140_000) : null);
        var job = new JobPlan { Id = "train", Action = "container@v1", Env = new Dictionary<string, string> { ["CERT"] = "secret:cert", ["MODE"] = "fast" } };

        var ex = Assert.Throws<JobFailedException>(() => secrets.Environment(job));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Phase, Is.EqualTo(WorkflowPhase.Error));
            Assert.That(ex.Message, Does.StartWith("jobs.train.env.CERT: secret 'cert' makes CERT=… 140006 bytes with its NUL; Linux starts no process with an environment entry over 131072 (MAX_ARG_STRLEN)"));
            Assert.That(ex.Message, Does.Not.Contain("cccc"));
        });
    }

    [Test]
    public void Environment_SecretUnderAHugeVariableName_TooLongNamingTheVariableShortened()
    {
        // Seen live: a secret holds at most 8192 bytes, so a name of 124000 characters is what gets there, and the error
        // printed all of it (twice).
        var name = new string('N', 124_000);
        var secrets = new JobSecrets(n => n == "small" ? new string('s', 8000) : null);
        var job = new JobPlan { Id = "a", Action = "container@v1", Env = new Dictionary<string, string> { [name] = "secret:small" } };

        var ex = Assert.Throws<JobFailedException>(() => secrets.Environment(job));

        Assert.That(ex!.Message, Does.StartWith("jobs.a.env.NNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNN...: secret 'small' makes NNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNN...=… 132002 bytes"));
        Assert.That(ex.Message, Has.Length.LessThan(400));
    }

    [Test]
    public void Environment_SecretFileTruncatedToZeroBytes_ThrowsJobFailedSayingItIsDamagedNotAnEmptyValue()
    {
        var state = Directory.CreateTempSubdirectory("gn-jobsecrets-").FullName;
        try
        {
            var store = new SecretStore(state);
            store.Set("token", "s3cr3t"u8);
            File.WriteAllBytes(Path.Combine(store.Directory, "token"), []);
            var secrets = new JobSecrets(n => store.TryGet(n, out var value) ? value : null, store.DamageOf);
            var job = new JobPlan { Id = "train", Action = "container@v1", Env = new Dictionary<string, string> { ["TOKEN"] = "secret:token" } };

            var ex = Assert.Throws<JobFailedException>(() => secrets.Environment(job));

            // Before: TOKEN= (an empty value) was injected.
            Assert.That(ex!.Message, Is.EqualTo("jobs.train.env.TOKEN: secret 'token': its stored file secrets/token is empty (0 bytes), which secrets set never stores: the file was damaged (a full disk, a hand edit); set it again: gradient-node secrets set token"));
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    [Test]
    public void Environment_MissingSecretFromDefaultsEnv_NamesDefaultsEnvAndTheJob()
    {
        var secrets = new JobSecrets(_ => null);
        var job = new JobPlan
        {
            Id = "train", Action = "container@v1", Env = new Dictionary<string, string> { ["TOKEN"] = "secret:nope" }, EnvFromDefaults = ["TOKEN"],
        };

        var ex = Assert.Throws<JobFailedException>(() => secrets.Environment(job));

        Assert.That(ex!.Message, Does.StartWith("defaults.env.TOKEN (for job train): secret 'nope' does not exist on this node"));
    }

    [Test]
    public void MaskOfPlan_SecretsInEnvAndParametersOfEveryJob_HidesTheirValuesOnly()
    {
        var secrets = new JobSecrets(n => n switch { "token" => "t0ken-value", "gitpw" => "g1t-password", _ => null });
        var plan = new RunPlan
        {
            Workflow = "w",
            Jobs =
            [
                new JobPlan { Id = "a", Action = "container@v1", Env = new Dictionary<string, string> { ["T"] = "secret:token", ["MODE"] = "fast-mode" } },
                new JobPlan { Id = "b", Action = "git-checkout@v1", With = new Dictionary<string, string> { ["password"] = "secret:gitpw" } },
                new JobPlan { Id = "c", Action = "container@v1", Env = new Dictionary<string, string> { ["X"] = "secret:missing" } },
            ],
        };

        var mask = secrets.Mask(plan);

        Assert.That(mask.Apply("t0ken-value g1t-password fast-mode"), Is.EqualTo("*** *** fast-mode"));
    }
}

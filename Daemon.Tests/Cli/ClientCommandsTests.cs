using GradientNode.Daemon.Cli;
using NUnit.Framework;

namespace GradientNode.Tests.Cli;

[TestFixture]
[Category("Unit")]
internal sealed partial class ClientCommandsTests
{
    [TestCase(null)]
    [TestCase("json")]
    [TestCase("yaml")]
    [TestCase("wide")]
    [TestCase("text")]
    public void CheckFormat_DocumentedFormat_Passes(string? format) =>
        Assert.DoesNotThrow(() => ClientCommands.CheckFormat(format));

    [Test]
    public void CheckFormat_OtherFormat_UsageErrorListingEveryFormatTheVerbsTake()
    {
        var error = Assert.Throws<UsageException>(() => ClientCommands.CheckFormat("bogus"));

        Assert.That(error!.Message, Is.EqualTo("-o takes json, yaml, wide or text, not 'bogus'"));
    }

    [Test]
    public void Validate_Directory_SaysItIsADirectoryAndFails()
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var directory = Path.GetTempPath().TrimEnd('/');

        var exit = Validate([directory], output, error);

        Assert.That(exit, Is.EqualTo(ExitCodes.Failed));
        Assert.That(error.ToString(), Is.EqualTo($"{directory}: a directory, not a file (name the spec files in it)\n"));
    }

    [Test]
    public void Validate_SymbolicLinkToAMissingFile_SaysSoAndFails()
    {
        var root = Directory.CreateTempSubdirectory("gn-validate-link-").FullName;
        try
        {
            var link = Path.Combine(root, "spec.yaml");
            File.CreateSymbolicLink(link, Path.Combine(root, "gone.yaml"));
            var error = new StringWriter { NewLine = "\n" };

            var exit = Validate([link], TextWriter.Null, error);

            Assert.That(exit, Is.EqualTo(ExitCodes.Failed));
            Assert.That(error.ToString(), Is.EqualTo($"{link}: a symbolic link to {Path.Combine(root, "gone.yaml")}, which does not exist\n"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Test]
    public void Validate_SymbolicLinkToASpec_ReadsTheSpec()
    {
        var root = Directory.CreateTempSubdirectory("gn-validate-link-").FullName;
        try
        {
            var target = Path.Combine(root, "real.yaml");
            File.WriteAllText(target, "name: app\nimage: nginx:1.27\nresources: {machineType: C4, ports: [80]}\n");
            var link = Path.Combine(root, "spec.yaml");
            File.CreateSymbolicLink(link, target);
            var output = new StringWriter { NewLine = "\n" };

            var exit = Validate([link], output, TextWriter.Null);

            Assert.That(exit, Is.EqualTo(ExitCodes.Ok));
            Assert.That(output.ToString(), Does.StartWith($"{link}: ok"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Test]
    public void Validate_EphemeralSecretReferences_PassesWarningOfEachWithItsField()
    {
        var dir = Directory.CreateTempSubdirectory("gn-validate-").FullName;
        try
        {
            var deployment = Path.Combine(dir, "app.yaml");
            File.WriteAllText(deployment, "name: app\nimage: nginx:1\nenv:\n  - name: TOKEN\n    value: secret:ephemeral:abc123\n  - name: OK\n    value: secret:fine\nresources:\n  machineType: C4\n  ports: [8080]\n");
            var workflow = Path.Combine(dir, "wf.yaml");
            File.WriteAllText(workflow, "jobs:\n  fetch:\n    env:\n      TOKEN: secret:ephemeral:k1\n    uses: git-checkout@v1\n    outputs:\n      repo: {type: volume}\n    with:\n      url: https://example.com/r.git\n      username: u\n      password: secret:ephemeral:k2\n");
            var output = new StringWriter { NewLine = "\n" };
            var error = new StringWriter { NewLine = "\n" };

            var exit = Validate([deployment, workflow], output, error);

            var warnings = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Multiple(() =>
            {
                Assert.That(exit, Is.EqualTo(ExitCodes.Ok), error.ToString());
                Assert.That(warnings, Has.Length.EqualTo(3), error.ToString());
                Assert.That(warnings[0], Does.StartWith($"{deployment}:5:12: warning: env[TOKEN]: secret:ephemeral:abc123 cannot be resolved on a node").And.Contain("Failed"));
                Assert.That(warnings[1], Does.StartWith($"{workflow}:4:14: warning: jobs.fetch.env.TOKEN: secret:ephemeral:k1 cannot be resolved").And.Contain("every run will end ERROR at job 'fetch'"));
                Assert.That(warnings[2], Does.StartWith($"{workflow}:11:17: warning: jobs.fetch.with.password: secret:ephemeral:k2"), "before, warnings named the file alone");
                Assert.That(error.ToString(), Does.Not.Contain("secret:fine"));
            });
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void Validate_WorkflowWithMisspeltJobs_WorkflowErrorsNamingTheKeyNotDeploymentOnes()
    {
        var dir = Directory.CreateTempSubdirectory("gn-validate-").FullName;
        try
        {
            var workflow = Path.Combine(dir, "wf.yaml");
            File.WriteAllText(workflow, "defaults:\n  env: {A: b}\njbos:\n  hello:\n    uses: container@v1\n    with: {imag: busybox}\n");
            var error = new StringWriter { NewLine = "\n" };

            var exit = Validate([workflow], TextWriter.Null, error);

            Assert.Multiple(() =>
            {
                Assert.That(exit, Is.EqualTo(ExitCodes.Failed));
                Assert.That(error.ToString(), Is.EqualTo(
                    $"{workflow}:3:1: unknown field 'jbos'; did you mean 'jobs'?\n"
                    + $"{workflow}:6:12: unknown field 'imag' in jobs.hello.with; did you mean 'image'? (under 'jbos', checked as 'jobs')\n"));
            });
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void Validate_MachineTypeNotBuiltIn_PassesWithAWarningAndASuggestion()
    {
        var dir = Directory.CreateTempSubdirectory("gn-validate-").FullName;
        try
        {
            var deployment = Path.Combine(dir, "app.yaml");
            File.WriteAllText(deployment, "name: app\nimage: nginx:1\nresources:\n  machineType: C11\n  ports: [8080]\n");
            var error = new StringWriter { NewLine = "\n" };

            var exit = Validate([deployment], TextWriter.Null, error);

            Assert.Multiple(() =>
            {
                Assert.That(exit, Is.EqualTo(ExitCodes.Ok), "node.yaml may add the type: a warning, not an error");
                Assert.That(error.ToString(), Is.EqualTo(
                    $"{deployment}:4:16: warning: resources.machineType: 'C11' is not a built-in machine type (did you mean 'C10'?); unless node.yaml's "
                    + "machineTypes adds it, the node starts no replica of this version (Failed, or Degraded while an older version keeps serving)\n"),
                    "an apply to a running deployment keeps its replicas: before, the warning said the node marks it Failed");
            });
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void Validate_GradientRegion_PassesWithAWarningAtItsLineThatTheNodeDoesNotActOnIt()
    {
        // Gradient's top-level region (C1): before, validate said only "ok" and the field showed up nowhere but in the
        // status's notActedOn after an apply; a workflow's defaults.clusterId was already said at validate.
        var dir = Directory.CreateTempSubdirectory("gn-validate-").FullName;
        try
        {
            var deployment = Path.Combine(dir, "app.yaml");
            File.WriteAllText(deployment, "name: app\nimage: nginx:1\nregion: East Coast (NY2)\nresources:\n  machineType: C4\n  ports: [8080]\n");
            var error = new StringWriter { NewLine = "\n" };

            var exit = Validate([deployment], TextWriter.Null, error);

            Assert.That(exit, Is.EqualTo(ExitCodes.Ok));
            Assert.That(error.ToString(), Is.EqualTo($"{deployment}:3:9: warning: region: accepted, not acted on: ignored on a single node\n"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>validate with no daemon answering: offline.</summary>
    private static int Validate(IReadOnlyList<string> files, TextWriter output, TextWriter error) =>
        ClientCommands.ValidateAsync(files, output, error, _ => Task.FromResult<NodeStores?>(null), CancellationToken.None).GetAwaiter().GetResult();
}

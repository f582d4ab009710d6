using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary><c>gradient-node export</c> with the published binary: offline, stdout or <c>-o DIR</c>, validate's errors for a bad spec.</summary>
[TestFixture]
[Category("E2E")]
[Parallelizable(ParallelScope.Self)]
internal sealed class ExportEndToEndTests
{
    private GradientNodeProcess _node = null!;
    private string _scratch = null!;

    private static string TestData => Path.Combine(TestContext.CurrentContext.TestDirectory, "testdata");

    [SetUp]
    public void SetUp()
    {
        _node = GradientNodeProcess.Prepare();
        _scratch = Directory.CreateTempSubdirectory("gn-export-").FullName;
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
            _node = null!;
        }

        if (_scratch is not null)
        {
            Directory.Delete(_scratch, recursive: true);
            _scratch = null!;
        }
    }

    [Test]
    public async Task Export_SeedSpecToStdout_MultiDocumentStreamAndSecretCommandsOnStderr()
    {
        var spec = Path.Combine(TestData, "specs", "valid", "seed-000-v1-full", "spec.yaml");

        var result = await _node.CliAsync("export", "-f", spec, "--namespace", "ml", "--domain", "apps.example.org");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        // The one note (the protected deployment's NetworkPolicy) is a comment above the first object, and on stderr.
        Assert.That(result.Stdout, Does.StartWith("---\n# warning: ").And.Contain("must enforce NetworkPolicy\napiVersion: apps/v1\nkind: Deployment"));
        Assert.That(result.Stdout, Does.Contain("kind: Ingress").And.Contain("host: my-cool-deployment.apps.example.org").And.Contain("kind: ScaledObject").And.Contain("kind: NetworkPolicy"));
        Assert.That(result.Stderr, Does.Match($@"gradient-node export: {System.Text.RegularExpressions.Regex.Escape(spec)}:\d+:\d+: warning: basicAuthKey: ").And.Contain("my-cool-deployment-ingress-only"), "headed by the field's line and column");
        Assert.That(result.Stderr, Does.Contain("kubectl -n ml create secret generic gradient-secrets --from-literal=mySecretEnv=<value of secret mySecretEnv>"));
    }

    [Test]
    public async Task Export_SpecFileAsArgument_ExportedAsWithDashF()
    {
        var spec = Path.Combine(TestData, "specs", "valid", "seed-000-v1-full", "spec.yaml");

        var asArgument = await _node.CliAsync("export", spec, "--namespace", "ml");
        var withDashF = await _node.CliAsync("export", "-f", spec, "--namespace", "ml");

        Assert.That(asArgument.ExitCode, Is.Zero, asArgument.ToString());
        Assert.That(asArgument.Stdout, Is.EqualTo(withDashF.Stdout), "a YAML file that exists is the file, as validate takes it");
    }

    [Test]
    public async Task Export_WorkflowToDirectory_OneFilePerObject()
    {
        var workflow = Path.Combine(_scratch, "train.yaml");
        File.Copy(Path.Combine(TestData, "workflows", "valid", "all-actions", "workflow.yaml"), workflow);
        var spec = Path.Combine(TestData, "export", "hello", "spec.yaml");
        var output = Path.Combine(_scratch, "out");

        var result = await _node.CliAsync("export", "-f", workflow, "-f", spec, "-o", output);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(Directory.GetFiles(output).Select(Path.GetFileName).Order(), Is.EqualTo(new[] { "hello.deployment.yaml", "hello.ingress.yaml", "hello.service.yaml", "train.workflow.yaml" }));
        Assert.That(File.ReadAllText(Path.Combine(output, "train.workflow.yaml")), Does.Contain("kind: Workflow").And.Contain("generateName: train-"));
        Assert.That(result.Stderr, Does.Contain("jobs.register.uses: not exported"));
    }

    [Test]
    public async Task Export_BadSpec_SameErrorAndExitCodeAsValidate()
    {
        var bad = Path.Combine(_scratch, "bad.yaml");
        await File.WriteAllTextAsync(bad, "apiVersion: v1\nname: web\nimage: nginx\nresources:\n  replicas: lots\n");

        var validate = await _node.CliAsync("validate", bad);
        var export = await _node.CliAsync("export", "-f", bad);

        Assert.That(export.ExitCode, Is.EqualTo(1).And.EqualTo(validate.ExitCode), export.ToString());
        Assert.That(export.Stderr, Is.Not.Empty.And.EqualTo(validate.Stderr));
        Assert.That(export.Stdout, Is.Empty);
    }

    [Test]
    public async Task Export_HelperImageAndClaimFlags_InitContainersAndClaimsUseThem()
    {
        var spec = Path.Combine(TestData, "specs", "valid", "seed-000-v1-full", "spec.yaml");

        var result = await _node.CliAsync("export", "-f", spec, "--pvc", "--git-image", "mirror.local/git:2", "--s3-image", "mirror.local/aws:2", "--pvc-size", "25Gi", "--storage-class", "fast-ssd");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Does.Contain("image: mirror.local/git:2").And.Contain("image: mirror.local/aws:2"));
        Assert.That(result.Stdout, Does.Contain("storage: 25Gi").And.Contain("storageClassName: fast-ssd"));
        Assert.That(result.Stdout, Does.Not.Contain("alpine/git").And.Not.Contain("amazon/aws-cli"));
    }

    [Test]
    public async Task Export_BadFlagValues_UsageErrorNamingEachFlagAndNoOutput()
    {
        var spec = Path.Combine(TestData, "export", "hello", "spec.yaml");

        var result = await _node.CliAsync("export", "-f", spec, "--pvc-size", "ten gigs", "--git-image", "Bad Image", "--storage-class", "Fast_SSD");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Does.Contain("--pvc-size: 'ten gigs' is not a Kubernetes quantity"));
        Assert.That(result.Stderr, Does.Contain("--git-image: 'Bad Image' is not an image reference"));
        Assert.That(result.Stderr, Does.Contain("--storage-class: 'Fast_SSD' is not a valid name"));
        Assert.That(result.Stdout, Is.Empty);
    }
}

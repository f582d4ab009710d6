using GradientNode.Core.Catalog;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Secrets;
using GradientNode.Daemon.Api;
using GradientNode.Daemon.Cli;
using GradientNode.Daemon.Cli.Wait;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace GradientNode.Tests.Cli;

/// <summary><c>apply -f FILE</c> against the real apply endpoint on a unix socket, over a real specs directory.</summary>
[TestFixture]
[Category("Unit")]
internal sealed class DeployCommandsApplyTests
{
    private string _dir = null!;
    private string _specs = null!;
    private WebApplication _app = null!;

    [SetUp]
    public async Task SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("gn-apply-").FullName;
        _specs = Path.Combine(_dir, "specs");
        Directory.CreateDirectory(_specs);
        var state = Path.Combine(_dir, "state");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenUnixSocket(Path.Combine(_dir, "api.sock")));
        builder.Services.AddSingleton(new SpecDirectoryWatcher(_specs, state, new FakeTimeProvider(), NullLogger<SpecDirectoryWatcher>.Instance));
        builder.Services.AddSingleton(new VersionHasher(new RestartGenerations(state)));
        _app = builder.Build();
        _app.MapPut("/v1/deployments/{name}", (string name, HttpRequest request, SpecDirectoryWatcher specs, VersionHasher versions, CancellationToken cancellationToken) =>
            DeploymentEndpoints.ApplyAsync(name, request, specs, versions, cancellationToken));
        await _app.StartAsync();
    }

    [TearDown]
    public async Task TearDown()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Test]
    public async Task ApplyAsync_LegacySpecWithoutNameInAFileNotNamedAsItsSlug_SaysTheNameTheNodeListsItUnder()
    {
        // A legacy spec without name: takes its file's stem. Applied from s04_001.yaml it is kept as s04-001.yaml, whose
        // stem is what ls, get and the status call it. Before, apply said "deployment 's04_001' created" and ls said s04-001.
        var file = Path.Combine(_dir, "s04_001.yaml");
        await File.WriteAllTextAsync(file, "image: ubuntu:20.04\nport: 8501\nresources:\n  replicas: 1\n  instanceType: C4\n");
        var (commands, output, error, api) = Commands();
        using (api)
        {
            var exit = await commands.ApplyAsync(file, wait: false, timeout: null, CancellationToken.None);

            Assert.That(exit, Is.EqualTo(ExitCodes.Ok), error.ToString());
            var kept = Path.Combine(_specs, "s04-001.yaml");
            Assert.That(output.ToString(), Is.EqualTo($"deployment 's04-001' created ({kept})\n"));
            Assert.That(error.ToString(), Is.EqualTo(
                $"{file}: warning: name: the spec has no name, so the node names it after the file that holds it there, s04-001.yaml, not after s04_001.yaml; write name: s04_001 in it to keep that name\n"));
        }
    }

    [Test]
    public async Task ApplyAsync_LegacySpecWithoutNameInAFileNamedAsItsSlug_NoNote()
    {
        var file = Path.Combine(_dir, "legacy-app.yaml");
        await File.WriteAllTextAsync(file, "image: ubuntu:20.04\nport: 8501\nresources:\n  replicas: 1\n  instanceType: C4\n");
        var (commands, output, error, api) = Commands();
        using (api)
        {
            var exit = await commands.ApplyAsync(file, wait: false, timeout: null, CancellationToken.None);

            Assert.That(exit, Is.EqualTo(ExitCodes.Ok), error.ToString());
            Assert.That(output.ToString(), Is.EqualTo($"deployment 'legacy-app' created ({Path.Combine(_specs, "legacy-app.yaml")})\n"));
            Assert.That(error.ToString(), Is.Empty);
        }
    }

    [Test]
    public async Task ApplyAsync_NewDeploymentWhoseFileNameHoldsARenamedOne_WrittenBesideItAndTheOtherKept()
    {
        // web.yaml says name: web2 since a rename in place; applying a new 'web' wrote over it and web2 was removed.
        var renamed = Path.Combine(_specs, "web.yaml");
        await File.WriteAllTextAsync(renamed, "name: web2\nimage: nginx:1\nresources:\n  machineType: C4\n  ports: [8080]\n");
        var file = Path.Combine(_dir, "web.yaml");
        await File.WriteAllTextAsync(file, "name: web\nimage: nginx:2\nresources:\n  machineType: C4\n  ports: [8080]\n");
        var (commands, output, error, api) = Commands();
        using (api)
        {
            var exit = await commands.ApplyAsync(file, wait: false, timeout: null, CancellationToken.None);

            Assert.That(exit, Is.EqualTo(ExitCodes.Ok), error.ToString());
            Assert.That(output.ToString(), Is.EqualTo($"deployment 'web' created ({Path.Combine(_specs, "web-2.yaml")})\n"));
            Assert.That(await File.ReadAllTextAsync(renamed), Does.StartWith("name: web2\n"));
        }
    }

    [Test]
    public async Task ApplyAsync_LegacySpecWithoutNameWhoseFileNameHoldsAnotherDeployment_RefusedAndNothingChanged()
    {
        var renamed = Path.Combine(_specs, "legacy-app.yaml");
        await File.WriteAllTextAsync(renamed, "name: web2\nimage: nginx:1\nresources:\n  machineType: C4\n  ports: [8080]\n");
        var file = Path.Combine(_dir, "legacy-app.yaml");
        await File.WriteAllTextAsync(file, "image: ubuntu:20.04\nport: 8501\nresources:\n  replicas: 1\n  instanceType: C4\n");
        var (commands, _, error, api) = Commands();
        using (api)
        {
            var exit = await commands.ApplyAsync(file, wait: false, timeout: null, CancellationToken.None);

            Assert.That(exit, Is.EqualTo(ExitCodes.Failed));
            Assert.That(error.ToString(), Does.Contain($"{renamed} already holds a file the node has not read yet, and this spec has no name:").And.Contain("add name: legacy-app to it; nothing was changed"));
            Assert.That(await File.ReadAllTextAsync(renamed), Does.StartWith("name: web2\n"));
            Assert.That(Directory.GetFiles(_specs).Select(Path.GetFileName), Is.EqualTo(new[] { "legacy-app.yaml" }));
        }
    }

    [Test]
    public async Task ApplyAsync_LongNameThatDiffersFromAnotherOnlyPastItsLabelsCut_RefusedAndTheOtherKept()
    {
        // Both names' labels are cut to the same 63 characters: the second apply said "configured" and replaced the first.
        var start = new string('a', 63);
        var held = Path.Combine(_specs, $"{start}.yaml");
        await File.WriteAllTextAsync(held, $"name: {start} one\nimage: nginx:1\nresources:\n  machineType: C4\n  ports: [8080]\n");
        var file = Path.Combine(_dir, "two.yaml");
        await File.WriteAllTextAsync(file, $"name: {start} two\nimage: nginx:2\nresources:\n  machineType: C4\n  ports: [8080]\n");
        await _app.Services.GetRequiredService<SpecDirectoryWatcher>().ScanAsync(CancellationToken.None);
        var (commands, _, error, api) = Commands();
        using (api)
        {
            var exit = await commands.ApplyAsync(file, wait: false, timeout: null, CancellationToken.None);

            Assert.That(exit, Is.EqualTo(ExitCodes.Failed));
            Assert.That(error.ToString(), Does.Contain($"deployment '{start} one' already has the host label {start} (a name's label keeps its first 63 characters), so '{start} two' would replace it;")
                .And.Contain("nothing was changed"));
            Assert.That(await File.ReadAllTextAsync(held), Does.StartWith($"name: {start} one\n"));
        }
    }

    [Test]
    public async Task ApplyAsync_LongNameWrittenInOtherCapitals_ConfiguresTheSameDeployment()
    {
        var start = new string('a', 63);
        var held = Path.Combine(_specs, $"{start}.yaml");
        await File.WriteAllTextAsync(held, $"name: {start} one\nimage: nginx:1\nresources:\n  machineType: C4\n  ports: [8080]\n");
        var file = Path.Combine(_dir, "one.yaml");
        await File.WriteAllTextAsync(file, $"name: {start} One\nimage: nginx:2\nresources:\n  machineType: C4\n  ports: [8080]\n");
        await _app.Services.GetRequiredService<SpecDirectoryWatcher>().ScanAsync(CancellationToken.None);
        var (commands, output, error, api) = Commands();
        using (api)
        {
            var exit = await commands.ApplyAsync(file, wait: false, timeout: null, CancellationToken.None);

            Assert.That(exit, Is.EqualTo(ExitCodes.Ok), error.ToString());
            Assert.That(output.ToString(), Does.Contain("configured"));
        }
    }

    private (DeployCommands Commands, StringWriter Output, StringWriter Error, ApiClient Api) Commands()
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var api = new ApiClient(Path.Combine(_dir, "api.sock"));
        var time = new FakeTimeProvider();
        return (new DeployCommands(api, output, error, new LineProgressView(output, time), time), output, error, api);
    }
}

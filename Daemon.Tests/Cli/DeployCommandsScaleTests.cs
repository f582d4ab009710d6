using System.Text.Json;
using GradientNode.Core.Catalog;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Secrets;
using GradientNode.Core.Specs;
using GradientNode.Core.Status;
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
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Cli;

/// <summary><c>scale NAME --replicas N</c> against the real scale endpoint on a unix socket, over a real specs directory.</summary>
[TestFixture]
[Category("Unit")]
internal sealed class DeployCommandsScaleTests
{
    private string _dir = null!;
    private string _specs = null!;
    private SpecDirectoryWatcher _watcher = null!;
    private WebApplication _app = null!;
    private RestartGenerations _generations = null!;

    [SetUp]
    public async Task SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("gn-scale-").FullName;
        _specs = Path.Combine(_dir, "specs");
        Directory.CreateDirectory(_specs);
        _watcher = new SpecDirectoryWatcher(_specs, Path.Combine(_dir, "state"), new FakeTimeProvider(), NullLogger<SpecDirectoryWatcher>.Instance);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenUnixSocket(Path.Combine(_dir, "api.sock")));
        builder.Services.AddSingleton(_watcher);
        _generations = new RestartGenerations(Path.Combine(_dir, "state"));
        builder.Services.AddSingleton(new VersionHasher(_generations));
        _app = builder.Build();
        _app.UseDecodedSlashes();
        ScaleEndpoints.Map(_app);
        // The status scale --wait reads: the version and count the spec file now holds, every replica ready.
        _app.MapGet("/v1/deployments/{name}", (string name) =>
        {
            var file = Path.Combine(_specs, $"{name}.yaml");
            var spec = SpecParser.Parse(file, File.ReadAllText(file)).Spec!;
            var replicas = Enumerable.Range(0, spec.Resources.Replicas).Select(i => new ReplicaStatus
            {
                Id = $"{name}-{i}", Index = i, Container = $"gradient-{name}-{i}-abc", ContainerId = $"c{i}", State = "running", Ready = true, SpecHash = new VersionHasher(_generations).Compute(spec),
            }).ToList();
            var status = new DeploymentStatus
            {
                Name = spec.Name, Slug = name, State = DeploymentState.Ready, Message = $"{replicas.Count}/{replicas.Count} replicas ready", DesiredReplicas = replicas.Count,
                ReadyReplicas = replicas.Count, SpecHash = new VersionHasher(_generations).Compute(spec), Replicas = replicas, ObservedAt = DateTimeOffset.UnixEpoch,
            };
            return Results.Text(JsonSerializer.Serialize(status, StatusJsonContext.Default.DeploymentStatus), "application/json");
        });
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
    public async Task ScaleAsync_NameWithASlash_EditsReplicasInTheSpecFile()
    {
        var file = Path.Combine(_specs, "a-b.yaml");
        await _watcher.WriteAsync(file, "apiVersion: v1\nname: a/b\nimage: nginx:1\nresources:\n  machineType: C4\n  ports: [8080]\n", CancellationToken.None);
        var (commands, output, error, api) = Commands();
        using (api)
        {
            var exit = await commands.ScaleAsync("a/b", 3, wait: false, null, CancellationToken.None);

            Assert.That(exit, Is.EqualTo(ExitCodes.Ok), error.ToString());
            Assert.That(output.ToString(), Is.EqualTo("deployment 'a/b' scaled to 3 replicas\n"));
            Assert.That(await File.ReadAllTextAsync(file), Does.Contain("  replicas: 3\n"));
        }
    }

    [Test]
    public async Task ScaleAsync_Wait_FollowsTheNewCountUntilItIsRolledOut()
    {
        await _watcher.WriteAsync(Path.Combine(_specs, "web.yaml"), "apiVersion: v1\nname: web\nimage: nginx:1\nresources:\n  machineType: C4\n  ports: [8080]\n  replicas: 1\n", CancellationToken.None);
        var (commands, output, error, api) = Commands();
        using (api)
        {
            // Before: "unknown option --wait for scale" (exit 2), and the answer carried no version to follow.
            using var timeout = new CancellationTokenSource(TestTimeouts.Short);
            var exit = await commands.ScaleAsync("web", 3, wait: true, null, timeout.Token);

            Assert.That(exit, Is.EqualTo(ExitCodes.Ok), error.ToString());
            Assert.That(output.ToString(), Does.StartWith("deployment 'web' scaled to 3 replicas\n").And.Contain("replica 2: ready").And.EndWith(" rolled out: deployment 'web' 3/3 replicas ready\n"));
        }
    }

    [Test]
    public async Task ScaleAsync_WaitAfterARestart_FollowsTheVersionTheReconcilerRuns()
    {
        await _watcher.WriteAsync(Path.Combine(_specs, "web.yaml"), "apiVersion: v1\nname: web\nimage: nginx:1\nresources:\n  machineType: C4\n  ports: [8080]\n  replicas: 1\n", CancellationToken.None);
        _generations.Bump("web");
        var (commands, output, error, api) = Commands();
        using (api)
        {
            // Before: the answer hashed the spec alone, which a restarted deployment's version never has: --wait followed
            // "waiting for the daemon to pick up the new version" until --timeout (found in a trial).
            using var timeout = new CancellationTokenSource(TestTimeouts.Short);
            var exit = await commands.ScaleAsync("web", 2, wait: true, null, timeout.Token);

            Assert.That(exit, Is.EqualTo(ExitCodes.Ok), output.ToString() + error);
        }
    }

    [Test]
    public async Task ScaleAsync_ToOne_SaysOneReplica()
    {
        await _watcher.WriteAsync(Path.Combine(_specs, "web.yaml"), "apiVersion: v1\nname: web\nimage: nginx:1\nresources:\n  machineType: C4\n  ports: [8080]\n  replicas: 2\n", CancellationToken.None);
        var (commands, output, _, api) = Commands();
        using (api)
        {
            await commands.ScaleAsync("web", 1, wait: false, null, CancellationToken.None);

            Assert.That(output.ToString(), Is.EqualTo("deployment 'web' scaled to 1 replica\n"));
        }
    }

    [Test]
    public async Task ScaleAsync_UnknownDeployment_PrintsTheDaemonsErrorAndExitsOne()
    {
        var (commands, output, error, api) = Commands();
        using (api)
        {
            var exit = await commands.ScaleAsync("nothere", 2, wait: false, null, CancellationToken.None);

            Assert.That(exit, Is.EqualTo(ExitCodes.Failed));
            Assert.That(error.ToString(), Is.EqualTo("error: no deployment 'nothere' on this node\n"));
            Assert.That(output.ToString(), Is.Empty);
        }
    }

    [Test]
    public async Task ScaleAsync_DeploymentWhoseFileNeverParsed_SaysTheFileHasErrors()
    {
        var file = Path.Combine(_specs, "web.yaml");
        await File.WriteAllTextAsync(file, "apiVersion: v1\nname: web\nimage: nginx:1\nresources:\n  machineType: C4\n  port: [8080]\n");
        await _watcher.ScanAsync(CancellationToken.None);
        var (commands, _, error, api) = Commands();
        using (api)
        {
            var exit = await commands.ScaleAsync("web", 2, wait: false, null, CancellationToken.None);

            Assert.That(exit, Is.EqualTo(ExitCodes.Failed));
            Assert.That(error.ToString(), Does.StartWith($"error: {file} has errors and no version of 'web' has run; fix the file (gradient-node get web lists them)"));
            Assert.That(error.ToString(), Does.Contain("unknown field 'port' in resources"));
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

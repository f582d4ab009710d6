using GradientNode.Core.Autoscaling;
using GradientNode.Core.Catalog;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Secrets;
using GradientNode.Core.Status;
using GradientNode.Daemon.Api;
using GradientNode.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace GradientNode.Tests.Api;

[TestFixture]
[Category("Unit")]
internal sealed class DeploymentEndpointsTests
{
    [TestCase("enabled: false\n", "  replicas: 2\n", "restarting (generation 1), but no replica runs to replace: it is disabled (enabled: false); its replicas start with this generation once it runs")]
    [TestCase("", "  replicas: 0\n", "restarting (generation 1), but no replica runs to replace: it is scaled to 0 (resources.replicas: 0); its replicas start with this generation once it runs")]
    [TestCase("", "  replicas: 2\n", "restarting (generation 1)")]
    public void RestartResult_DeploymentThatRunsNoReplica_SaysNoneIsReplaced(string top, string replicas, string expected)
    {
        // newuser12: `restart off` of a disabled deployment answered "restarting (generation 1)" alone.
        var spec = GradientNode.Core.Specs.SpecParser.Parse("off.yaml", $"apiVersion: v1\nname: off\n{top}image: a:1\nresources:\n  machineType: C4\n  ports: [8080]\n{replicas}").Spec!;

        Assert.That(DeploymentEndpoints.RestartResult(1, spec), Is.EqualTo(expected));
    }

    [Test]
    public void ListedSlugs_NumberedDeploymentsFromSpecsAndStatuses_AreInNumberOrderOnce()
    {
        var statuses = new StatusStore();
        statuses.Set("model-server-10", new DeploymentStatus { Name = "Model Server 10", Slug = "model-server-10", State = DeploymentState.Ready });
        statuses.Set("gone-1", new DeploymentStatus { Name = "gone 1", Slug = "gone-1", State = DeploymentState.Progressing });

        var listed = DeploymentEndpoints.ListedSlugs(["model-server-2", "model-server-10", "model-server-1"], statuses);

        Assert.That(listed, Is.EqualTo(new[] { "gone-1", "model-server-1", "model-server-2", "model-server-10" }));
    }

    [Test]
    public void StatusOf_ReadSecondsAfterTheReconcilerBuiltIt_TheRestartCountdownIsTrueWhenRead()
    {
        // newuser5's F12: the status is built about every 15 s while a replica waits out its crash backoff; the countdown
        // in its message held for those 15 s in `ls`, `get`, the API and the console.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 14, 31, 4, TimeSpan.Zero));
        var statuses = new StatusStore();
        statuses.Set("crashy", new DeploymentStatus
        {
            Name = "crashy",
            Slug = "crashy",
            State = DeploymentState.Degraded,
            Message = "0/1 ready: replica 0 exited with code 3; restarting in 40s",
            RestartAt = clock.GetUtcNow().AddSeconds(40),
            ObservedAt = clock.GetUtcNow(),
        });
        var dir = Directory.CreateTempSubdirectory("gn-endpoints-");
        try
        {
            var specs = new SpecDirectoryWatcher(dir.CreateSubdirectory("specs").FullName, dir.CreateSubdirectory("state").FullName, clock, NullLogger<SpecDirectoryWatcher>.Instance);
            clock.Advance(TimeSpan.FromSeconds(4));
            var after4 = DeploymentEndpoints.StatusOf("crashy", statuses, specs, new ReconcilerOptions(), clock, new AutoscaleStore(), new VersionHasher(new RestartGenerations(dir.FullName)));
            clock.Advance(TimeSpan.FromSeconds(37));
            var after41 = DeploymentEndpoints.StatusOf("crashy", statuses, specs, new ReconcilerOptions(), clock, new AutoscaleStore(), new VersionHasher(new RestartGenerations(dir.FullName)));

            Assert.Multiple(() =>
            {
                Assert.That(after4?.Message, Is.EqualTo("0/1 ready: replica 0 exited with code 3; restarting in 36s"));
                Assert.That(after41?.Message, Is.EqualTo("0/1 ready: replica 0 exited with code 3; restarting"));
                Assert.That(statuses.Get("crashy")?.Message, Does.EndWith("restarting in 40s"), "the stored status is left as built");
            });
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public async Task DeleteAsync_NameAsTheUrlSpellsIt_AnswerNamesTheDeploymentAsItsSpecDoes()
    {
        // DELETE /v1/deployments/My%20Demo answered "deployment 'my-demo' deleted" (the slug) or the name as sent; the
        // status, `ls` and `get` call it by its spec's name.
        var dir = Directory.CreateTempSubdirectory("gn-endpoints-");
        try
        {
            var specs = new SpecDirectoryWatcher(dir.CreateSubdirectory("specs").FullName, dir.CreateSubdirectory("state").FullName, new FakeTimeProvider(), NullLogger<SpecDirectoryWatcher>.Instance);
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "specs", "demo.yaml"), "name: My Demo\nimage: img:1\nresources:\n  machineType: C4\n  ports: [8080]\n");
            await specs.ScanAsync(CancellationToken.None);
            var context = new DefaultHttpContext
            {
                RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider(),
                Response = { Body = new MemoryStream() },
            };

            var result = await DeploymentEndpoints.DeleteAsync("my demo", specs, CancellationToken.None);
            await result.ExecuteAsync(context);

            context.Response.Body.Position = 0;
            var body = await new StreamReader(context.Response.Body).ReadToEndAsync();
            Assert.Multiple(() =>
            {
                Assert.That(context.Response.StatusCode, Is.EqualTo(StatusCodes.Status202Accepted));
                Assert.That(body, Is.EqualTo("deployment 'My Demo' deleted; its replicas are being removed\n"));
                Assert.That(File.Exists(Path.Combine(dir.FullName, "specs", "demo.yaml")), Is.False);
            });
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public async Task StatusOf_RestartedBeforeTheFirstReconcile_PlaceholderHashIsTheVersionWithItsRestartGeneration()
    {
        // known18: the status shown before the first reconcile hashed the spec alone, so a deployment restarted before the
        // daemon (re)started, or a restart asked for before the reconcile, showed a hash other than the one --wait follows
        // and other than the first reconcile's.
        var dir = Directory.CreateTempSubdirectory("gn-endpoints-");
        try
        {
            var clock = new FakeTimeProvider();
            var state = dir.CreateSubdirectory("state").FullName;
            var specs = new SpecDirectoryWatcher(dir.CreateSubdirectory("specs").FullName, state, clock, NullLogger<SpecDirectoryWatcher>.Instance);
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "specs", "web.yaml"), "apiVersion: v1\nname: web\nimage: img:1\nresources:\n  machineType: C4\n  ports: [8080]\n  replicas: 2\n");
            await specs.ScanAsync(CancellationToken.None);
            var generations = new RestartGenerations(state);
            generations.Bump("web");
            var versions = new VersionHasher(generations);

            var status = DeploymentEndpoints.StatusOf("web", new StatusStore(), specs, new ReconcilerOptions(), clock, new AutoscaleStore(), versions);

            Assert.Multiple(() =>
            {
                Assert.That(status?.SpecHash, Is.EqualTo(versions.Compute(specs.Entries["web"].Spec!)));
                Assert.That(status?.SpecHash, Is.Not.EqualTo(SpecHasher.Compute(specs.Entries["web"].Spec!)), "not the hash of the spec alone");
                Assert.That(status?.State, Is.EqualTo(DeploymentState.Progressing));
                Assert.That(status?.DesiredReplicas, Is.EqualTo(2));
                Assert.That(status?.Message, Is.EqualTo("waiting for the first reconcile"));
            });
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}

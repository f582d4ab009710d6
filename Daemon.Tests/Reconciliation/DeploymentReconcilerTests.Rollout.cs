using System.Net;
using System.Net.Sockets;
using GradientNode.Core.Engine;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Secrets;
using GradientNode.Core.Specs;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

/// <summary>A rollout whose old replicas ignore SIGTERM: their stops outlive the pass that began them.</summary>
internal sealed partial class DeploymentReconcilerTests
{
    [Test]
    public async Task ReconcileAsync_RolloutOfThreeReplicasWhoseStopsTakeTheGrace_EachPassRollsTheNextIndexWhileTheOldOnesStopTogether()
    {
        // Before: each pass waited for the stop of the old replica it replaced (10 s for an app that ignores SIGTERM), and
        // the next index was created only by the pass after it, so a rollout of N replicas took N times the grace.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var clock = new FakeTimeProvider();
        var engine = new RecordingEngine { StopHold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        engine.Images.Add(Image);
        var leaving = new LeavingReplicas();
        var reconciler = TestReconcilers.Create(engine, clock, _state, options: new ReconcilerOptions { DrainTime = TimeSpan.Zero }, leaving: leaving);
        var entry = Entry("app01", 3, port);
        var hash = new VersionHasher(new RestartGenerations(_state)).Compute(entry.Spec!);
        engine.Containers.AddRange([.. Enumerable.Range(0, 3).Select(i => Replica($"old{i}", i, "0123456789ab", running: true, clock))]);

        var ready = new List<int>();
        for (var pass = 0; pass < 4; pass++)
        {
            // Pass 0 creates new replica 0; pass 1 (it is ready) stops old 0 and creates new 1; … pass 3 stops old 2.
            var outcome = await reconciler.ReconcileAsync("app01", entry, CancellationToken.None).WaitAsync(TestTimeouts.Short);
            ready.Add(outcome.Status!.ReadyReplicas);
            foreach (var created in engine.Created.Where(c => engine.Containers.All(r => r.Id != $"id-{c.Name}")).ToList())
            {
                engine.Containers.Add(Replica($"id-{created.Name}", int.Parse(created.Labels[ContainerLabels.Replica], System.Globalization.CultureInfo.InvariantCulture), hash, running: true, clock));
            }
        }

        // Each stop was begun by its pass, in the background: the three reach the engine and wait there together.
        await TestTimeouts.WaitUntilAsync(() => engine.StopsUnderWay == 3, "the three old replicas' stops to be under way at once");
        Assert.Multiple(() =>
        {
            Assert.That(engine.Created, Has.Count.EqualTo(3), "one new replica per index, surge 1");
            Assert.That(engine.Stopped, Is.EquivalentTo(new[] { "old0", "old1", "old2" }), "each old replica stopped once");
            Assert.That(leaving.Count, Is.EqualTo(3));
            Assert.That(ready, Has.All.EqualTo(3), "never fewer ready than desired");
            Assert.That(engine.Removed, Is.Empty, "removed only once stopped");
        });

        // Old replica 0 exits (killed after its grace) before its remove: its die event's pass leaves it to the stop under way.
        var old0 = engine.Containers.Single(c => c.Id == "old0");
        engine.Containers[engine.Containers.IndexOf(old0)] = old0 with { State = old0.State with { Status = "exited", Running = false, ExitCode = 137 } };
        await reconciler.ReconcileAsync("app01", entry, CancellationToken.None).WaitAsync(TestTimeouts.Short);
        Assert.That(engine.Removed, Is.Empty, "not removed as an exited container of an old spec too (before: removed twice, logged twice)");

        engine.StopHold.SetResult();
        await leaving.WhenStoppedAsync().WaitAsync(TestTimeouts.Short);
        Assert.That(engine.Removed, Is.EquivalentTo(new[] { "old0", "old1", "old2" }));
    }

    [Test]
    public async Task ReconcileAsync_ReplicasANodeBeforeCredentialsEnteredTheHashMade_UpgradeRollsNothingAndAnEditedKeyRolls()
    {
        // A node before 2026-12-07 left an integration's access key id, secret reference and region out of the hash: its
        // replicas carry that hash. Without CredentialsHashOverlay the first start after the upgrade replaced them all (a GPU
        // model on a full box would wait for a GPU it cannot get).
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var clock = new FakeTimeProvider();
        var engine = new RecordingEngine();
        engine.Images.Add(Image);
        var reconciler = TestReconcilers.Create(engine, clock, _state, options: new ReconcilerOptions { DrainTime = TimeSpan.Zero });
        var plain = Entry("app01", 2, port);
        var spec = plain.Spec! with
        {
            Integrations = new[] { new IntegrationSpec { Type = IntegrationType.S3, Name = "weights", Url = "s3://models/llama", AccessKeyId = "AKIAEXAMPLE", SecretAccessKey = new SecretRef("s3key"), Region = "us-east-1" } },
        };
        var before = SpecHasher.ComputeBeforeCredentials(spec)!;
        engine.Containers.AddRange([.. Enumerable.Range(0, 2).Select(i => Replica($"old{i}", i, before, running: true, clock))]);

        var upgraded = await reconciler.ReconcileAsync("app01", plain with { Spec = spec }, CancellationToken.None).WaitAsync(TestTimeouts.Short);
        var edited = await reconciler.ReconcileAsync("app01", plain with { Spec = spec with { Integrations = new[] { spec.Integrations[0] with { AccessKeyId = "AKIAOTHER" } } } }, CancellationToken.None).WaitAsync(TestTimeouts.Short);

        Assert.Multiple(() =>
        {
            Assert.That(upgraded.Status!.ReadyReplicas, Is.EqualTo(2));
            Assert.That(upgraded.Status.Rollout, Is.Null, "no rollout after the upgrade");
            Assert.That(engine.Created, Has.Count.EqualTo(1), $"only the edited key rolls: its first new replica; {edited.Status?.Message}");
        });
    }
}

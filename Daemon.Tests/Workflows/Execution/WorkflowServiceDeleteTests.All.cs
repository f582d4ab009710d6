using GradientNode.Core.Workflows.Execution;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Execution;

/// <summary><see cref="WorkflowService.DeleteEndedAsync"/>: every ended run of a workflow, the running ones left.</summary>
internal sealed partial class WorkflowServiceDeleteTests
{
    [Test]
    public async Task DeleteEndedAsync_TwoEndedAndOneRunning_TheEndedGoTheRunningIsLeftAndHoldsItsInput()
    {
        await StartServiceAsync();
        for (var i = 1; i <= 2; i++)
        {
            await _service!.StartRunAsync(Plan("w", Gated), Gated, null);
            _gate.Release();
            await WaitEndedAsync("w", i);
        }

        await _service!.StartRunAsync(Plan("w", Gated), Gated, null);
        await WaitUntilHeldAsync(Holder(3));

        // A run that has just ended is still the service's for a moment (NotEnded): ask until both ended ones went.
        var deleted = new List<int>();
        RunsDeletion last = null!;
        await TestTimeouts.WaitUntilAsync(
            async () =>
            {
                last = await _service.DeleteEndedAsync("w", CancellationToken.None);
                deleted.AddRange(last.Deleted);
                return deleted.Count == 2;
            },
            TestTimeouts.Short,
            "runs 1 and 2 to be deleted");
        var heldWhileLeft = _datasets.Leases.HoldersOf(_input.Id);
        _gate.Release();
        await WaitEndedAsync("w", 3);
        await TestTimeouts.WaitUntilAsync(
            async () => (await _service.DeleteEndedAsync("w", CancellationToken.None)).Deleted.Contains(3),
            TestTimeouts.Short,
            "run 3 to be deleted once ended");
        var next = await _service.StartRunAsync(Plan("w", Gated), Gated, null);
        _gate.Release();
        await WaitEndedAsync("w", 4);

        Assert.Multiple(() =>
        {
            Assert.That(deleted, Is.EqualTo(new[] { 1, 2 }));
            Assert.That(last.NotEnded.Select(r => r.Status.Run), Is.EqualTo(new[] { 3 }), "the running run is left and named");
            Assert.That(heldWhileLeft, Does.Contain(Holder(3)).And.Not.Contain(Holder(1)).And.Not.Contain(Holder(2)));
            Assert.That(_service.Get("w", 1), Is.Null);
            Assert.That(_service.Get("w", 3), Is.Null);
            Assert.That(next.Status.Run, Is.EqualTo(4), "deleted numbers are never given again");
        });
    }
}

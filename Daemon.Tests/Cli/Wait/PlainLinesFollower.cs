using GradientNode.Core.Status;
using GradientNode.Daemon.Cli.Wait;

namespace GradientNode.Tests.Cli.Wait;

/// <summary>
/// A <see cref="RolloutFollower"/> that prints plain lines (<see cref="LineProgressView"/>) on a fake clock starting at
/// <see cref="StatusScript.Start"/>, whose waits advance that clock: what the <c>--wait</c> tests build before they follow.
/// </summary>
internal sealed class PlainLinesFollower : IDisposable
{
    public FakeTimeProvider Time { get; } = new(StatusScript.Start);

    public StringWriter Output { get; } = new();

    /// <summary>What the follower printed so far.</summary>
    public string Printed => Output.ToString();

    /// <summary>A follower that reads its status through <paramref name="read"/>.</summary>
    public RolloutFollower Reading(Func<CancellationToken, Task<DeploymentStatus?>> read) =>
        new(read, new LineProgressView(Output, Time), Time, Advance(Time));

    /// <summary>A follower that reads the same status at every poll.</summary>
    public RolloutFollower Reading(DeploymentStatus status) => Reading(_ => Task.FromResult<DeploymentStatus?>(status));

    /// <summary>A follower that reads the statuses in turn, and fails the test if it polls once more.</summary>
    public RolloutFollower ReadingEachOnce(params DeploymentStatus[] script)
    {
        var queue = new Queue<DeploymentStatus>(script);
        return Reading(_ => Task.FromResult<DeploymentStatus?>(queue.Dequeue()));
    }

    /// <summary>A follower that reads the statuses in turn, then the last one at every later poll.</summary>
    public RolloutFollower ReadingInTurnThenTheLast(params DeploymentStatus[] script)
    {
        var queue = new Queue<DeploymentStatus>(script);
        return Reading(_ => Task.FromResult<DeploymentStatus?>(queue.Count > 1 ? queue.Dequeue() : queue.Peek()));
    }

    /// <summary>A wait that does not wait but advances <paramref name="time"/> by as long.</summary>
    public static Func<TimeSpan, CancellationToken, Task> Advance(FakeTimeProvider time) => (wait, _) =>
    {
        time.Advance(wait);
        return Task.CompletedTask;
    };

    public void Dispose() => Output.Dispose();
}

using GradientNode.Core.Engine;

namespace GradientNode.Daemon.Api;

/// <summary>
/// Keeps a followed log stream (<c>logs -f</c>) on the deployment rather than on the containers it began with: every
/// <see cref="Interval"/> it lists the deployment's containers again and starts a reader for each one not seen yet
/// (a replica restarted after a crash, replaced in a rollout, added by a scale-up), which reads that container from
/// its first line (one still being created is taken once it has started; one the pump has no room for, at a later listing). It ends when the client goes away, or once the deployment is gone from the node (deleted) and every
/// reader has ended; otherwise it follows until the client stops it, as <c>logs -f</c> says.
/// </summary>
internal sealed class LogFollow(
    Func<CancellationToken, Task<IReadOnlyList<ContainerSummary>>> list,
    Func<bool> deploymentExists,
    Func<ContainerSummary, CancellationToken, Task?> pump,
    TimeProvider time)
{
    /// <summary>How often the containers are listed again: a restarted replica's first lines show within about this long.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public async Task RunAsync(IReadOnlyList<ContainerSummary> first, IReadOnlyList<Task> firstReaders, CancellationToken cancellationToken)
    {
        var seen = first.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var readers = firstReaders.ToList();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(Interval, time, cancellationToken);
                readers.RemoveAll(r => r.IsCompleted);
                IReadOnlyList<ContainerSummary> now;
                try
                {
                    now = await list(cancellationToken);
                }
                catch (Exception ex) when (ex is EngineException or IOException or HttpRequestException)
                {
                    continue; // The engine did not answer this time; the readers already running go on.
                }

                // A container not started yet has no log to follow (the engine would end the stream at once): it is
                // taken at a later listing, once it runs.
                // A pump that gives no task had no room (--max-log-follows): the container is tried again next time.
                foreach (var container in now.Where(c => c.State != "created" && !seen.Contains(c.Id)))
                {
                    if (pump(container, cancellationToken) is { } reader)
                    {
                        seen.Add(container.Id);
                        readers.Add(reader);
                    }
                }

                if (readers.Count == 0 && !deploymentExists())
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away, or the daemon is stopping.
        }

        await Task.WhenAll(readers);
    }
}

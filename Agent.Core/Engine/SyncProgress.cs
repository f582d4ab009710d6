namespace GradientNode.Core.Engine;

/// <summary>
/// An <see cref="IProgress{T}"/> that runs its callback on the reporting thread, in order. Docker.DotNet reports
/// each line of a stream (pull progress, events, stats) through one; <see cref="Progress{T}"/> would post to the
/// thread pool and reorder them.
/// </summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}

namespace GradientNode.Core.Autoscaling;

/// <summary>
/// Timestamped samples of one deployment's average utilisation (cpu or memory, in %), trimmed to the longest window
/// asked for. Not thread-safe: one autoscaler loop owns it.
/// </summary>
public sealed class UsageSeries
{
    private readonly Queue<(DateTimeOffset At, double Value)> _samples = new();
    private readonly TimeSpan _keep;

    public UsageSeries(TimeSpan keep) => _keep = keep;

    public int Count => _samples.Count;

    public void Add(DateTimeOffset at, double value)
    {
        _samples.Enqueue((at, value));
        while (_samples.Count > 0 && _samples.Peek().At <= at - _keep)
        {
            _samples.Dequeue();
        }
    }

    /// <summary>Moves every sample's time by <paramref name="step"/>: the wall clock stepped (see <see cref="AutoscalerService"/>).</summary>
    public void Shift(TimeSpan step)
    {
        var moved = _samples.Select(s => (s.At + step, s.Value)).ToList();
        _samples.Clear();
        foreach (var sample in moved)
        {
            _samples.Enqueue(sample);
        }
    }

    /// <summary>The mean of the samples taken in the <paramref name="window"/> before <paramref name="now"/>; null when none.</summary>
    public double? Average(DateTimeOffset now, TimeSpan window)
    {
        double sum = 0;
        var count = 0;
        foreach (var (at, value) in _samples)
        {
            if (at > now - window && at <= now)
            {
                sum += value;
                count++;
            }
        }

        return count == 0 ? null : sum / count;
    }
}

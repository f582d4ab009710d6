using GradientNode.Core.Engine;
using GradientNode.Core.Status;

namespace GradientNode.Core.Reconciliation;

/// <summary>
/// Sums one pull's per-layer progress (Docker reports each layer apart) into a <see cref="PullStatus"/>, and hands it to
/// <c>publish</c> at most once per interval. A layer is done once pulled or already present; bytes count the download
/// of the layers whose size is known. Reports come in synchronously from the engine, on any thread.
/// </summary>
public sealed class PullAggregate : IProgress<PullProgress>
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Layer> _layers = new(StringComparer.Ordinal);
    private readonly string _image;
    private readonly DateTimeOffset _startedAt;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly Action<PullStatus>? _publish;
    private readonly long _startedTimestamp;
    private long? _publishedAt; // monotonic
    private PullStatus? _published;
    private long _lastActivityTicks;

    public PullAggregate(string image, TimeProvider time, TimeSpan interval, Action<PullStatus>? publish)
    {
        ArgumentNullException.ThrowIfNull(time);
        _image = image;
        _time = time;
        _interval = interval;
        _publish = publish;
        _startedAt = time.GetUtcNow();
        _startedTimestamp = time.GetTimestamp();
        _lastActivityTicks = _startedTimestamp;
    }

    /// <summary>
    /// How long since the pull's stream last said anything (any line counts), on the monotonic clock: the stall watchdog
    /// compares it with its timeout. Before, a wall-clock instant: a step forward stopped a healthy pull as stalled.
    /// </summary>
    public TimeSpan SinceActivity => _time.GetElapsedTime(Interlocked.Read(ref _lastActivityTicks));

    /// <summary>How long the pull has run (monotonic), for the log.</summary>
    public TimeSpan Elapsed => _time.GetElapsedTime(_startedTimestamp);

    public void Report(PullProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Interlocked.Exchange(ref _lastActivityTicks, _time.GetTimestamp());
        PullStatus? due = null;
        lock (_gate)
        {
            if (!Apply(value))
            {
                return;
            }

            if (_publishedAt is not { } last || _time.GetElapsedTime(last) >= _interval)
            {
                due = Due(_time.GetTimestamp());
            }
        }

        if (due is not null)
        {
            _publish?.Invoke(due);
        }
    }

    /// <summary>Publishes the current totals now unless they were published already (at the start and the end of a pull).</summary>
    public void Flush()
    {
        PullStatus? due;
        lock (_gate)
        {
            due = Due(_time.GetTimestamp());
        }

        if (due is not null)
        {
            _publish?.Invoke(due);
        }
    }

    public PullStatus Snapshot()
    {
        lock (_gate)
        {
            var sized = _layers.Values.Where(l => l.Total > 0).ToList();
            return new PullStatus
            {
                Image = _image,
                LayersDone = _layers.Values.Count(l => l.Done),
                LayersTotal = _layers.Count,
                BytesDone = sized.Sum(l => Math.Min(l.Current, l.Total)),
                BytesTotal = sized.Sum(l => l.Total),
                StartedAt = _startedAt,
            };
        }
    }

    private PullStatus? Due(long now)
    {
        var snapshot = Snapshot();
        if (snapshot == _published)
        {
            return null;
        }

        _published = snapshot;
        _publishedAt = now;
        return snapshot;
    }

    /// <summary>Folds one line of the stream in; false when it says nothing about a layer.</summary>
    private bool Apply(PullProgress value)
    {
        // "Pulling from ns/repo" carries the tag as its id; Digest:/Status: lines carry none.
        if (value.Id is not { Length: > 0 } id || value.Status.StartsWith("Pulling from", StringComparison.Ordinal))
        {
            return false;
        }

        if (!_layers.TryGetValue(id, out var layer))
        {
            layer = new Layer();
            _layers[id] = layer;
        }

        switch (value.Status)
        {
            case "Downloading":
                layer.Total = value.Total is > 0 ? value.Total.Value : layer.Total;
                layer.Current = value.Current is >= 0 ? value.Current.Value : layer.Current;
                break;
            case "Verifying Checksum" or "Download complete":
                layer.Current = layer.Total;
                break;
            case "Extracting":
                // The extraction reads the downloaded blob: its total is the layer's size when no download line told it.
                layer.Total = layer.Total > 0 ? layer.Total : value.Total is > 0 ? value.Total.Value : 0;
                layer.Current = layer.Total;
                break;
            case "Pull complete":
                layer.Current = layer.Total;
                layer.Done = true;
                break;
            case "Already exists":
                layer.Done = true;
                break;
            default:
                // "Pulling fs layer", "Waiting", "Retrying in N seconds", "Mounted from …".
                break;
        }

        return true;
    }

    private sealed class Layer
    {
        public long Current { get; set; }

        public long Total { get; set; }

        public bool Done { get; set; }
    }
}

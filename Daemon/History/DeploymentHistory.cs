namespace GradientNode.Daemon.History;

/// <summary>
/// The last <see cref="Capacity"/> samples of every deployment (one hour at the 10 s sampling period), in one ring
/// buffer per deployment: fixed memory per deployment (<c>Capacity × 32</c> bytes of points, about 11.5 KB), and a
/// deployment's ring goes when the deployment does. See docs/design/console.md.
/// </summary>
internal sealed class DeploymentHistory
{
    public const int Capacity = 360;

    private readonly Dictionary<string, Ring> _rings = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Adds one sample per deployment in <paramref name="samples"/> and forgets deployments not in it.</summary>
    public void Record(IReadOnlyDictionary<string, HistoryInput> samples)
    {
        lock (_lock)
        {
            foreach (var gone in _rings.Keys.Where(k => !samples.ContainsKey(k)).ToList())
            {
                _rings.Remove(gone);
            }

            foreach (var (slug, s) in samples)
            {
                if (!_rings.TryGetValue(slug, out var ring))
                {
                    ring = new Ring();
                    _rings[slug] = ring;
                }

                var rate = 0f;
                if (ring.LastRequests is { } before && s.At > ring.LastAt && s.Requests >= before)
                {
                    rate = (float)((s.Requests - before) / (double)(s.At - ring.LastAt));
                }

                ring.LastRequests = s.Requests;
                ring.LastAt = s.At;
                ring.Add(new HistoryPoint(s.At, rate, (float)(s.AverageDuration ?? 0), (float)(s.P50Duration ?? 0), (float)(s.P99Duration ?? 0), s.Ready, s.Desired));
            }
        }
    }

    /// <summary>Every deployment's samples, oldest first.</summary>
    public IReadOnlyDictionary<string, HistoryPoint[]> Snapshot()
    {
        lock (_lock)
        {
            return _rings.ToDictionary(r => r.Key, r => r.Value.ToArray(), StringComparer.Ordinal);
        }
    }

    private sealed class Ring
    {
        private readonly HistoryPoint[] _points = new HistoryPoint[Capacity];
        private int _next;
        private int _count;

        public long? LastRequests { get; set; }

        public long LastAt { get; set; }

        public void Add(HistoryPoint point)
        {
            _points[_next] = point;
            _next = (_next + 1) % Capacity;
            _count = Math.Min(_count + 1, Capacity);
        }

        public HistoryPoint[] ToArray()
        {
            var result = new HistoryPoint[_count];
            var start = (_next - _count + Capacity) % Capacity;
            for (var i = 0; i < _count; i++)
            {
                result[i] = _points[(start + i) % Capacity];
            }

            return result;
        }
    }
}

namespace GradientNode.Core.Integrations;

public sealed partial class VolumeMaterializer
{
    /// <summary>One content key's fetch: who waits for it, the running task, its progress and its retry state.</summary>
    private sealed class Job
    {
        public HashSet<string> Slugs { get; } = new(StringComparer.Ordinal);

        public Task? Running { get; set; }

        public FetchProgress? Progress { get; set; }

        public string? Error { get; set; }

        public int Failures { get; set; }

        public int Fetches { get; set; }

        /// <summary>When the next fetch may start: a monotonic timestamp (<see cref="Common.MonotonicTime"/>).</summary>
        public long RetryAt { get; set; }

        /// <summary>Cancels the running fetch (linked to the daemon's stop); null when none runs.</summary>
        public CancellationTokenSource? Cancel { get; set; }

        /// <summary>The running fetch was cancelled because no deployment waits for it any more.</summary>
        public bool Abandoned { get; set; }
    }
}

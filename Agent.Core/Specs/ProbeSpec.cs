using GradientNode.Core.Common;

namespace GradientNode.Core.Specs;

/// <summary>
/// One health check (GRADIENT-SEMANTICS §3). Defaults are applied by the parser:
/// initialDelaySeconds 0, periodSeconds 10, timeoutSeconds 1, failureThreshold 3.
/// <see cref="Port"/> is null when the spec leaves it out (the first app port is meant).
/// </summary>
public sealed record ProbeSpec
{
    public const int DefaultInitialDelaySeconds = 0;
    public const int DefaultPeriodSeconds = 10;
    public const int DefaultTimeoutSeconds = 1;
    public const int DefaultFailureThreshold = 3;

    /// <summary>
    /// The most <c>initialDelaySeconds</c>, <c>periodSeconds</c> and <c>timeoutSeconds</c> may be: one day. A probe waits
    /// with timers that hold at most about 49 days; past that (e.g. a typo such as <c>timeoutSeconds: 2147483647</c>)
    /// every probe failed with an ArgumentOutOfRangeException, so the replica never became ready.
    /// </summary>
    public const int MaxSeconds = 86_400;

    public ProbeAction Action { get; init; } = ProbeAction.Http;

    public string? Path { get; init; }

    public int? Port { get; init; }

    public string? Host { get; init; }

    public EquatableArray<HeaderSpec> Headers { get; init; } = EquatableArray<HeaderSpec>.Empty;

    public EquatableArray<string> ExecCommand { get; init; } = EquatableArray<string>.Empty;

    public int InitialDelaySeconds { get; init; } = DefaultInitialDelaySeconds;

    public int PeriodSeconds { get; init; } = DefaultPeriodSeconds;

    public int TimeoutSeconds { get; init; } = DefaultTimeoutSeconds;

    public int FailureThreshold { get; init; } = DefaultFailureThreshold;
}

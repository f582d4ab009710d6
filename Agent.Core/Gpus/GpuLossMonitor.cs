using System.Collections.Concurrent;
using System.Globalization;
using GradientNode.Core.Engine;
using Microsoft.Extensions.Logging;

namespace GradientNode.Core.Gpus;

/// <summary>
/// Watches running GPU replicas for a lost GPU. The reconciler calls <see cref="Track"/> for each running container
/// that holds GPUs and <see cref="Forget"/> for what is gone. Every <see cref="Period"/> a loop runs
/// <c>nvidia-smi -L</c> in the container (bounded by <see cref="ExecTimeout"/>); when <see cref="GpuLossMatcher"/> says
/// the GPU is gone, it logs a warning, remembers the reason (<see cref="LostReason"/>, which makes the reconciler
/// replace the replica, as a failed liveness probe does), adds a node warning and raises <see cref="Lost"/> with the
/// deployment's slug. A container without nvidia-smi is not checked again; other failures (a timeout, an engine error)
/// are no GPU loss and the next period tries again.
/// </summary>
public sealed partial class GpuLossMonitor(IContainerEngine engine, TimeProvider time, ILogger<GpuLossMonitor> logger, TimeSpan? period = null) : IDisposable
{
    public static readonly TimeSpan DefaultPeriod = TimeSpan.FromSeconds(30);

    /// <summary>How long the node report keeps a GPU loss among its warnings.</summary>
    public static readonly TimeSpan WarningRetention = TimeSpan.FromHours(24);

    /// <summary>At most this many GPU losses are kept for the node report (the newest).</summary>
    public const int MaxWarnings = 20;

    private readonly ConcurrentDictionary<string, Check> _checks = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(long Seen, string Text)> _losses = new(); // Seen: monotonic (the text carries the wall time)
    private readonly CancellationTokenSource _stopping = new();

    public event Action<string>? Lost;

    /// <summary>How often each GPU container is checked.</summary>
    public TimeSpan Period { get; } = period ?? DefaultPeriod;

    /// <summary>How long one <c>nvidia-smi -L</c> may run.</summary>
    public TimeSpan ExecTimeout { get; } = TimeSpan.FromSeconds(10);

    /// <summary>The GPU losses of the last <see cref="WarningRetention"/>, oldest first, for <c>GET /v1/node</c>.</summary>
    public IReadOnlyList<string> Warnings
    {
        get
        {
            // Monotonic: a wall-clock step kept old warnings for as long as it stepped back, or dropped new ones when it stepped forward.
            return [.. _losses.Where(l => time.GetElapsedTime(l.Seen) <= WarningRetention).Select(l => l.Text)];
        }
    }

    /// <summary>Reads <c>GN_GPU_CHECK_SECONDS</c> (a whole number &gt; 0) when set, else <see cref="DefaultPeriod"/>.</summary>
    public static TimeSpan PeriodFromEnvironment(Func<string, string?> env)
    {
        ArgumentNullException.ThrowIfNull(env);
        return int.TryParse(env("GN_GPU_CHECK_SECONDS"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : DefaultPeriod;
    }

    /// <summary>Starts checking a running container that holds <paramref name="gpus"/> (<paramref name="replica"/> is <c>slug-index</c>); a tracked one is left alone.</summary>
    public void Track(string slug, string replica, string containerId, IReadOnlyList<string> gpus)
    {
        ArgumentNullException.ThrowIfNull(gpus);
        if (gpus.Count == 0 || _checks.ContainsKey(containerId))
        {
            return;
        }

        // The timer starts now, not when the loop first runs: a tick that comes early is kept, never lost.
        var check = new Check(slug, replica, containerId, gpus, CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token), new PeriodicTimer(Period, time));
        if (_checks.TryAdd(containerId, check))
        {
            _ = Task.Run(() => RunAsync(check), CancellationToken.None);
        }
        else
        {
            check.Timer.Dispose();
            check.Cancel.Dispose();
        }
    }

    /// <summary>Stops checking the containers of <paramref name="slug"/> that are not in <paramref name="keep"/>.</summary>
    public void Forget(string slug, IReadOnlySet<string> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        foreach (var check in _checks.Values.Where(c => c.Slug == slug && !keep.Contains(c.ContainerId)))
        {
            Stop(check.ContainerId);
        }
    }

    /// <summary>"GPU lost: …" once the container lost its GPU (it must be replaced); null otherwise.</summary>
    public string? LostReason(string containerId) => _checks.TryGetValue(containerId, out var check) ? check.LostReason : null;

    /// <summary>True while the container is checked every period (false once it lost its GPU, has no nvidia-smi, or is forgotten).</summary>
    public bool IsChecking(string containerId) => _checks.TryGetValue(containerId, out var check) && check.Active;

    public void Dispose()
    {
        _stopping.Cancel();
        foreach (var id in _checks.Keys)
        {
            Stop(id);
        }

        _stopping.Dispose();
    }

    private void Stop(string containerId)
    {
        if (_checks.TryRemove(containerId, out var check))
        {
            check.Active = false;
            check.Cancel.Cancel();
            check.Timer.Dispose();
            check.Cancel.Dispose();
        }
    }

    private async Task RunAsync(Check check)
    {
        var token = check.Cancel.Token;
        try
        {
            while (await check.Timer.WaitForNextTickAsync(token).ConfigureAwait(false))
            {
                if (!await CheckOnceAsync(check, token).ConfigureAwait(false))
                {
                    check.Active = false;
                    check.Timer.Dispose();
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Forgotten or shutting down.
        }
        catch (ObjectDisposedException)
        {
            // Forgotten while a check was running.
        }
    }

    /// <summary>One check; false when the container needs no more checks (GPU lost, no nvidia-smi, container gone).</summary>
    private async Task<bool> CheckOnceAsync(Check check, CancellationToken token)
    {
        string text;
        int exitCode;
        try
        {
            var result = await engine.ExecAsync(check.ContainerId, GpuLossMatcher.Command, ExecTimeout, token).ConfigureAwait(false);
            (exitCode, text) = (result.ExitCode, result.Output);
        }
        catch (TimeoutException ex)
        {
            LogCheckFailed(check.Replica, Short(check.ContainerId), ex.Message);
            return true;
        }
        catch (ContainerNotFoundException)
        {
            return false;
        }
        catch (EngineException ex) when (GpuLossMatcher.IsMissingNvidiaSmi(ex.Message))
        {
            LogNoNvidiaSmi(check.Replica, Short(check.ContainerId));
            return false;
        }
        catch (EngineException ex)
        {
            LogCheckFailed(check.Replica, Short(check.ContainerId), ex.Message);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
        {
            // A fault of any other type must not end this container's checks for good: log it and check again next tick.
            LogCheckFailed(check.Replica, Short(check.ContainerId), $"{ex.GetType().Name}: {ex.Message}");
            return true;
        }

        if (GpuLossMatcher.LostReason(exitCode, text) is { } reason)
        {
            check.LostReason = reason;
            var gpus = string.Join(",", check.Gpus);
            var now = time.GetUtcNow();
            LogLost(check.Replica, Short(check.ContainerId), gpus, reason);
            _losses.Enqueue((time.GetTimestamp(), string.Create(CultureInfo.InvariantCulture,
                $"{check.Replica}: {reason} (container {Short(check.ContainerId)}, GPU {gpus}, at {now:yyyy-MM-dd'T'HH:mm:ss'Z'}); the replica is restarted")));
            while (_losses.Count > MaxWarnings && _losses.TryDequeue(out _))
            {
                // Keep the newest only.
            }

            Lost?.Invoke(check.Slug);
            return false;
        }

        if (exitCode != 0 && GpuLossMatcher.IsMissingNvidiaSmi(text))
        {
            LogNoNvidiaSmi(check.Replica, Short(check.ContainerId));
            return false;
        }

        return true;
    }

    private static string Short(string containerId) => containerId[..Math.Min(12, containerId.Length)];

    [LoggerMessage(EventId = 1805, Level = LogLevel.Warning, Message = "{Replica}: container {Container} lost its GPU(s) {Uuids}: {Reason}; restarting the replica")]
    private partial void LogLost(string replica, string container, string uuids, string reason);

    [LoggerMessage(EventId = 1806, Level = LogLevel.Debug, Message = "{Replica}: container {Container} has no nvidia-smi; its GPUs are not checked")]
    private partial void LogNoNvidiaSmi(string replica, string container);

    [LoggerMessage(EventId = 1807, Level = LogLevel.Debug, Message = "{Replica}: GPU check in container {Container} failed: {Error}")]
    private partial void LogCheckFailed(string replica, string container, string error);

    private sealed class Check(string slug, string replica, string containerId, IReadOnlyList<string> gpus, CancellationTokenSource cancel, PeriodicTimer timer)
    {
        public string Slug { get; } = slug;

        public string Replica { get; } = replica;

        public string ContainerId { get; } = containerId;

        public IReadOnlyList<string> Gpus { get; } = gpus;

        public CancellationTokenSource Cancel { get; } = cancel;

        /// <summary>Ticks every period from <see cref="Track"/> on; a tick during a slow check is kept (one, not all).</summary>
        public PeriodicTimer Timer { get; } = timer;

        public bool Active { get; set; } = true;

        public string? LostReason { get; set; }
    }
}

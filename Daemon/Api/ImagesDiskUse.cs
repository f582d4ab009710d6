using System.Globalization;
using GradientNode.Core.Engine;

namespace GradientNode.Daemon.Api;

/// <summary>
/// The bytes the engine's images use, for <c>GET /v1/node</c>'s <c>disk.images</c>: asked of the engine at most once a
/// <see cref="MaxAge"/> (<c>GET /system/df</c> can take seconds), and the node endpoint waits at most <see cref="Wait"/>
/// for a fresh answer; an answer that comes later is kept for the next request. No answer: null and a warning saying why.
/// </summary>
internal sealed class ImagesDiskUse(IContainerEngine engine, TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(2);

    /// <summary>How long one question to the engine may take before it is given up.</summary>
    public static readonly TimeSpan CallLimit = TimeSpan.FromSeconds(60);

    private readonly Lock _lock = new();
    private long _bytes;
    private long? _askedAt; // monotonic
    private Task<long>? _inFlight;

    /// <summary>The bytes (null when unknown) and, when unknown, why.</summary>
    public async Task<(long? Bytes, string? Warning)> GetAsync(CancellationToken cancellationToken)
    {
        Task<long> refresh;
        lock (_lock)
        {
            if (_askedAt is { } at && time.GetElapsedTime(at) < MaxAge)
            {
                return (_bytes, null);
            }

            if (_inFlight is null || _inFlight.IsCompleted)
            {
                _inFlight = RefreshAsync();
            }

            refresh = _inFlight;
        }

        try
        {
            return (await refresh.WaitAsync(Wait, time, cancellationToken).ConfigureAwait(false), null);
        }
        catch (TimeoutException)
        {
            return (null, string.Create(CultureInfo.InvariantCulture, $"disk used by images: the engine did not answer within {Wait.TotalSeconds:0} s (still asking; shown when it answers)"));
        }
        catch (EngineException ex)
        {
            return (null, $"disk used by images: {ex.Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, string.Create(CultureInfo.InvariantCulture, $"disk used by images: the engine did not answer within {CallLimit.TotalSeconds:0} s"));
        }
    }

    private async Task<long> RefreshAsync()
    {
        await Task.Yield();
        using var limit = new CancellationTokenSource(CallLimit, time);
        var bytes = await engine.GetImagesDiskUsageAsync(limit.Token).ConfigureAwait(false);
        lock (_lock)
        {
            _bytes = bytes;
            _askedAt = time.GetTimestamp();
        }

        return bytes;
    }
}

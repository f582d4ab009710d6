using Microsoft.Extensions.Logging;

namespace GradientNode.Proxy.Hosting;

/// <summary>
/// A log filter for Kestrel's HTTP/2 category: Warning and Error pass, Critical passes at most once per
/// <see cref="Interval"/>. Kestrel writes a Critical line for every HTTP/2 connection it aborts for flooding it (rapid
/// reset, CVE-2023-44487: "exceeded the output operations maximum queue size"), so a network client opening such
/// connections in a loop wrote 130 Critical lines a second into the journal (found by the fifth adversary review);
/// one a minute still tells the operator the attack goes on. The logging framework asks the filter more than once for
/// one line (whether enabled, then once per provider), so the first <see cref="CallsPerInterval"/> calls of a minute pass:
/// one or two lines.
/// </summary>
public sealed class CriticalLogThrottle(TimeProvider time)
{
    /// <summary>The category this throttle is for (Kestrel's HTTP/2 connection log).</summary>
    public const string Category = "Microsoft.AspNetCore.Server.Kestrel.Http2";

    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    /// <summary>Filter calls that pass per interval: one line asks two (one provider) or three (two providers).</summary>
    public const int CallsPerInterval = 4;

    private readonly object _gate = new();
    private long? _windowStart; // monotonic
    private int _calls;

    /// <summary>Whether a line at <paramref name="level"/> of <see cref="Category"/> is written.</summary>
    public bool Allow(LogLevel level)
    {
        if (level < LogLevel.Warning)
        {
            return false;
        }

        if (level < LogLevel.Critical)
        {
            return true;
        }

        lock (_gate)
        {
            // Monotonic: a step back of the wall clock kept the window open for as long, every critical line after the first few dropped.
            if (_windowStart is null || time.GetElapsedTime(_windowStart.Value) >= Interval)
            {
                _windowStart = time.GetTimestamp();
                _calls = 0;
            }

            return ++_calls <= CallsPerInterval;
        }
    }
}

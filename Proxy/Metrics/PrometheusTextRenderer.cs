using System.Text;
using GradientNode.Core.Common;
using GradientNode.Core.Traffic;

namespace GradientNode.Proxy.Metrics;

/// <summary>
/// Renders proxy stats (live, or read from proxy-stats.json by the daemon) in the Prometheus text format 0.0.4
/// through <see cref="PrometheusText"/>. The <c>replica</c> label is empty for requests the proxy answered itself
/// (401, 503, waiting).
/// </summary>
public static class PrometheusTextRenderer
{
    private const string Requests = "gradient_proxy_requests_total";
    private const string InFlight = "gradient_proxy_requests_in_flight";
    private const string Duration = "gradient_proxy_request_duration_seconds";
    private const string Average = "gradient_proxy_request_duration_avg_seconds";

    public static void Write(StringBuilder text, TrafficSnapshot stats)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(stats);

        PrometheusText.Family(text, Requests, "counter", "Requests completed by the proxy, by deployment, replica (empty: answered by the proxy) and status class.");
        ForEachSeries(stats, (slug, replica, t) =>
        {
            if (t.Status1xx != 0)
            {
                Counter(text, slug, replica, "1xx", t.Status1xx);
            }

            Counter(text, slug, replica, "2xx", t.Status2xx);
            Counter(text, slug, replica, "3xx", t.Status3xx);
            Counter(text, slug, replica, "4xx", t.Status4xx);
            Counter(text, slug, replica, "5xx", t.Status5xx);
        });

        PrometheusText.Family(text, InFlight, "gauge", "Requests in progress (empty replica: held or answered by the proxy).");
        ForEachSeries(stats, (slug, replica, t) => PrometheusText.Sample(text, InFlight, t.InFlight, ("deployment", slug), ("replica", replica)));

        PrometheusText.Family(text, Duration, "histogram", "Request duration at the proxy, until the response body ended.");
        ForEachSeries(stats, (slug, replica, t) => Histogram(text, stats.DurationBucketBounds, slug, replica, t));

        PrometheusText.Family(text, Average, "gauge", "Average duration of requests forwarded to the deployment's replicas over a sliding window (autoscaler input).");
        foreach (var deployment in stats.Deployments)
        {
            AverageSample(text, deployment.Slug, "1m", deployment.Forwarded.AverageDurationSeconds1m);
            AverageSample(text, deployment.Slug, "5m", deployment.Forwarded.AverageDurationSeconds5m);
        }

        PrometheusText.Family(text, "gradient_proxy_held_requests", "gauge", "Requests held now because the deployment has no ready replica.");
        foreach (var deployment in stats.Deployments)
        {
            PrometheusText.Sample(text, "gradient_proxy_held_requests", deployment.Held, ("deployment", deployment.Slug));
        }

        PrometheusText.Family(text, "gradient_proxy_hold_rejected_total", "counter", "Requests answered 503 at once because the deployment's (or the proxy's) hold queue was full.");
        foreach (var deployment in stats.Deployments)
        {
            PrometheusText.Sample(text, "gradient_proxy_hold_rejected_total", deployment.HoldRejected, ("deployment", deployment.Slug));
        }
    }

    public static string Render(TrafficSnapshot stats)
    {
        var text = new StringBuilder(4096);
        Write(text, stats);
        return text.ToString();
    }

    private static void ForEachSeries(TrafficSnapshot stats, Action<string, string, TrafficCounters> write)
    {
        foreach (var deployment in stats.Deployments)
        {
            write(deployment.Slug, string.Empty, deployment.Local);
            foreach (var replica in deployment.Replicas)
            {
                write(deployment.Slug, replica.Id, replica.Traffic);
            }
        }
    }

    private static void Counter(StringBuilder text, string slug, string replica, string codeClass, long value) =>
        PrometheusText.Sample(text, Requests, value, ("deployment", slug), ("replica", replica), ("code_class", codeClass));

    private static void Histogram(StringBuilder text, IReadOnlyList<double> bounds, string slug, string replica, TrafficCounters t)
    {
        long cumulative = 0;
        for (var i = 0; i < t.DurationBuckets.Count; i++)
        {
            cumulative += t.DurationBuckets[i];
            PrometheusText.Sample(text, Duration + "_bucket", cumulative,
                ("deployment", slug), ("replica", replica), ("le", i < bounds.Count ? PrometheusText.Number(bounds[i]) : "+Inf"));
        }

        PrometheusText.Sample(text, Duration + "_sum", t.DurationSumSeconds, ("deployment", slug), ("replica", replica));
        PrometheusText.Sample(text, Duration + "_count", t.Requests, ("deployment", slug), ("replica", replica));
    }

    private static void AverageSample(StringBuilder text, string slug, string window, double? value)
    {
        if (value is { } seconds)
        {
            PrometheusText.Sample(text, Average, seconds, ("deployment", slug), ("window", window));
        }
    }
}

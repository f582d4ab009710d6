using System.Globalization;
using System.Text;
using GradientNode.Core.Metrics;

namespace GradientNode.Proxy.Metrics;

/// <summary>
/// Renders proxy stats (live, or read from proxy-stats.json by the daemon) in the Prometheus text format 0.0.4.
/// The <c>replica</c> label is empty for requests the proxy answered itself (401, 503, waiting).
/// </summary>
public static class PrometheusTextRenderer
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static void Write(TextWriter writer, ProxyStats stats)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(stats);

        writer.Write("# HELP gradient_proxy_requests_total Requests completed by the proxy, by deployment, replica (empty: answered by the proxy) and status class.\n");
        writer.Write("# TYPE gradient_proxy_requests_total counter\n");
        ForEachSeries(stats, (slug, replica, t) =>
        {
            Counter(writer, slug, replica, "1xx", t.Status1xx, skipZero: true);
            Counter(writer, slug, replica, "2xx", t.Status2xx, skipZero: false);
            Counter(writer, slug, replica, "3xx", t.Status3xx, skipZero: false);
            Counter(writer, slug, replica, "4xx", t.Status4xx, skipZero: false);
            Counter(writer, slug, replica, "5xx", t.Status5xx, skipZero: false);
        });

        writer.Write("# HELP gradient_proxy_requests_in_flight Requests in progress (empty replica: held or answered by the proxy).\n");
        writer.Write("# TYPE gradient_proxy_requests_in_flight gauge\n");
        ForEachSeries(stats, (slug, replica, t) =>
        {
            writer.Write("gradient_proxy_requests_in_flight");
            Labels(writer, slug, replica);
            writer.Write(' ');
            writer.Write(t.InFlight.ToString(CultureInfo.InvariantCulture));
            writer.Write('\n');
        });

        writer.Write("# HELP gradient_proxy_request_duration_seconds Request duration at the proxy, until the response body ended.\n");
        writer.Write("# TYPE gradient_proxy_request_duration_seconds histogram\n");
        ForEachSeries(stats, (slug, replica, t) => Histogram(writer, stats.DurationBucketBounds, slug, replica, t));

        writer.Write("# HELP gradient_proxy_request_duration_avg_seconds Average duration of requests forwarded to the deployment's replicas over a sliding window (autoscaler input).\n");
        writer.Write("# TYPE gradient_proxy_request_duration_avg_seconds gauge\n");
        foreach (var deployment in stats.Deployments)
        {
            Average(writer, deployment.Slug, "1m", deployment.Forwarded.AverageDurationSeconds1m);
            Average(writer, deployment.Slug, "5m", deployment.Forwarded.AverageDurationSeconds5m);
        }

        WriteHolds(writer, stats);
    }

    private static void WriteHolds(TextWriter writer, ProxyStats stats)
    {
        writer.Write("# HELP gradient_proxy_held_requests Requests held now because the deployment has no ready replica.\n");
        writer.Write("# TYPE gradient_proxy_held_requests gauge\n");
        foreach (var deployment in stats.Deployments)
        {
            Simple(writer, "gradient_proxy_held_requests", deployment.Slug, deployment.Held);
        }

        writer.Write("# HELP gradient_proxy_hold_rejected_total Requests answered 503 at once because the deployment's (or the proxy's) hold queue was full.\n");
        writer.Write("# TYPE gradient_proxy_hold_rejected_total counter\n");
        foreach (var deployment in stats.Deployments)
        {
            Simple(writer, "gradient_proxy_hold_rejected_total", deployment.Slug, deployment.HoldRejected);
        }
    }

    private static void Simple(TextWriter writer, string name, string slug, long value)
    {
        writer.Write(name);
        writer.Write("{deployment=\"");
        writer.Write(Escape(slug));
        writer.Write("\"} ");
        writer.Write(value.ToString(CultureInfo.InvariantCulture));
        writer.Write('\n');
    }

    public static string Render(ProxyStats stats)
    {
        var writer = new StringWriter(new StringBuilder(4096), CultureInfo.InvariantCulture);
        Write(writer, stats);
        return writer.ToString();
    }

    private static void ForEachSeries(ProxyStats stats, Action<string, string, TrafficStats> write)
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

    private static void Counter(TextWriter writer, string slug, string replica, string codeClass, long value, bool skipZero)
    {
        if (skipZero && value == 0)
        {
            return;
        }

        writer.Write("gradient_proxy_requests_total");
        Labels(writer, slug, replica, "code_class", codeClass);
        writer.Write(' ');
        writer.Write(value.ToString(CultureInfo.InvariantCulture));
        writer.Write('\n');
    }

    private static void Histogram(TextWriter writer, IReadOnlyList<double> bounds, string slug, string replica, TrafficStats t)
    {
        long cumulative = 0;
        for (var i = 0; i < t.DurationBuckets.Count; i++)
        {
            cumulative += t.DurationBuckets[i];
            writer.Write("gradient_proxy_request_duration_seconds_bucket");
            Labels(writer, slug, replica, "le", i < bounds.Count ? Number(bounds[i]) : "+Inf");
            writer.Write(' ');
            writer.Write(cumulative.ToString(CultureInfo.InvariantCulture));
            writer.Write('\n');
        }

        writer.Write("gradient_proxy_request_duration_seconds_sum");
        Labels(writer, slug, replica);
        writer.Write(' ');
        writer.Write(Number(t.DurationSumSeconds));
        writer.Write('\n');
        writer.Write("gradient_proxy_request_duration_seconds_count");
        Labels(writer, slug, replica);
        writer.Write(' ');
        writer.Write(t.Requests.ToString(CultureInfo.InvariantCulture));
        writer.Write('\n');
    }

    private static void Average(TextWriter writer, string slug, string window, double? value)
    {
        if (value is null)
        {
            return;
        }

        writer.Write("gradient_proxy_request_duration_avg_seconds{deployment=\"");
        writer.Write(Escape(slug));
        writer.Write("\",window=\"");
        writer.Write(window);
        writer.Write("\"} ");
        writer.Write(Number(value.Value));
        writer.Write('\n');
    }

    private static void Labels(TextWriter writer, string slug, string replica, string? extraName = null, string? extraValue = null)
    {
        writer.Write("{deployment=\"");
        writer.Write(Escape(slug));
        writer.Write("\",replica=\"");
        writer.Write(Escape(replica));
        writer.Write('"');
        if (extraName is not null)
        {
            writer.Write(',');
            writer.Write(extraName);
            writer.Write("=\"");
            writer.Write(Escape(extraValue!));
            writer.Write('"');
        }

        writer.Write('}');
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Escape(string value) =>
        value.AsSpan().IndexOfAny("\\\"\n") < 0
            ? value
            : value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}

using System.Globalization;
using System.Text.Json;
using GradientNode.Core.Status;

namespace GradientNode.Daemon.Cli;

/// <summary>Human-readable renderings of status for <c>ls</c> and <c>get</c>.</summary>
internal static class StatusPrinter
{
    /// <summary>
    /// The <c>ls</c> table. A MESSAGE is one line of at most <see cref="MessageColumn.MaxWidth"/> columns and, with
    /// <paramref name="width"/> (a terminal's columns), at most what is left of the line (<see cref="MessageColumn"/>); a longer
    /// one is cut with <c>…</c> (the whole of it is in <c>get NAME</c>, <c>ls -o wide</c> (<see cref="WideTable"/>) and <c>-o json</c>).
    /// </summary>
    public static void Table(TextWriter output, IReadOnlyList<DeploymentStatus> statuses, int? width = null)
    {
        var rows = new List<string[]> { new[] { "NAME", "STATE", "READY", "ENDPOINT", "MESSAGE" } };
        rows.AddRange(statuses.Select(s => new[]
        {
            s.Name, s.State.ToString(), $"{s.ReadyReplicas}/{s.DesiredReplicas}", s.Endpoint ?? "-", s.Message,
        }));
        MessageColumn.Cut(rows, width);
        WriteColumns(output, rows);
    }

    /// <summary>
    /// The <c>ls -o wide</c> table: the <c>ls</c> columns plus IMAGE, RESTARTS (of all its replicas), GPUS (given to its
    /// replicas) and CHANGED (how long before <paramref name="now"/> a replica last changed state), the message whole.
    /// Before, <c>-o wide</c> printed the same columns as <c>ls</c>.
    /// </summary>
    public static void WideTable(TextWriter output, IReadOnlyList<DeploymentStatus> statuses, DateTimeOffset now)
    {
        var rows = new List<string[]> { new[] { "NAME", "STATE", "READY", "IMAGE", "RESTARTS", "GPUS", "CHANGED", "ENDPOINT", "MESSAGE" } };
        rows.AddRange(statuses.Select(s => new[]
        {
            s.Name, s.State.ToString(), $"{s.ReadyReplicas}/{s.DesiredReplicas}", s.Image ?? "-",
            s.Replicas.Sum(r => r.Restarts).ToString(CultureInfo.InvariantCulture),
            s.Replicas.SelectMany(r => r.Gpus).Distinct(StringComparer.Ordinal).Count().ToString(CultureInfo.InvariantCulture),
            Changed(s, now), s.Endpoint ?? "-", s.Message,
        }));
        WriteColumns(output, rows);
    }

    /// <summary>
    /// How long before <paramref name="now"/> (the reader's clock; the status's own <c>observedAt</c> if later) a replica
    /// last changed state (<c>12s</c>, <c>5m</c>, <c>3h</c>, <c>2d</c>): the latest of its history (readiness included, in
    /// memory) and its container's created, started or finished time (from Docker, so known after a daemon restart too);
    /// <c>-</c> when none is known. Before, the age was taken at <c>observedAt</c>, which the daemon sets only when the
    /// status changes, so a deployment at rest always showed <c>0s</c>.
    /// </summary>
    private static string Changed(DeploymentStatus status, DateTimeOffset now)
    {
        var last = status.Replicas.SelectMany(r => r.History).Select(e => (DateTimeOffset?)e.Timestamp)
            .Concat(status.Replicas.Select(r => r.StateChangedAt)).Max();
        if (last is not { } at)
        {
            return "-";
        }

        var age = (now > status.ObservedAt ? now : status.ObservedAt) - at;
        return age switch
        {
            { TotalSeconds: < 0 } => "0s",
            { TotalMinutes: < 2 } => string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalSeconds}s"),
            { TotalHours: < 2 } => string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalMinutes}m"),
            { TotalDays: < 2 } => string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalHours}h"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalDays}d"),
        };
    }

    /// <summary>
    /// <c>get NAME</c>: the whole message on its <c>State:</c> line; each replica line's MESSAGE cut as <c>ls</c> cuts one
    /// (<see cref="MessageColumn"/>, with <paramref name="width"/> a terminal's columns), whole in <c>-o json</c>; a pull's
    /// "so far" counted to <paramref name="now"/>.
    /// </summary>
    public static void Details(TextWriter output, DeploymentStatus status, int? width = null, DateTimeOffset? now = null)
    {
        output.WriteLine($"Name:      {status.Name} ({status.Slug})");
        output.WriteLine($"State:     {status.State}: {status.Message}");
        output.WriteLine($"Replicas:  {status.ReadyReplicas}/{status.DesiredReplicas} ready");
        output.WriteLine($"Endpoint:  {status.Endpoint}");
        output.WriteLine(status.BasicAuthSecret is { } secret
            ? $"Auth:      basic auth, user paperspace, the password in secret '{secret}'"
            : "Auth:      none (open to anyone who reaches the endpoint)");
        output.WriteLine($"Spec:      {status.SpecFile} (hash {status.SpecHash ?? "-"})");
        output.WriteLine($"Image:     {status.Image ?? "-"}");
        if (status.Pull is { } pull)
        {
            // Counted to now (the reader's clock): a pull that makes no progress leaves observedAt where it was.
            var seconds = Math.Max(0, (long)((now > status.ObservedAt ? now.Value : status.ObservedAt) - pull.StartedAt).TotalSeconds);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Pull:      {pull.Describe()}, {seconds}s so far"));
        }

        if (status.Traffic is { } traffic)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Traffic:   {traffic.Requests} requests ({traffic.Status2xx} 2xx, {traffic.Status4xx} 4xx, {traffic.Status5xx} 5xx), {traffic.InFlight} in flight, avg {Seconds(traffic.AverageDurationSeconds1m)} (1m) {Seconds(traffic.AverageDurationSeconds5m)} (5m)"));
        }
        if (status.Autoscaling is { } autoscaling)
        {
            AutoscalingLines(output, autoscaling, status.Replicas.Count(r => r.State == "running"));
        }

        Section(output, "Warnings", status.Warnings);
        Section(output, "Errors", status.Errors);
        Section(output, "Conflicts", status.Conflicts);
        Section(output, "Not acted on yet", status.NotActedOn);
        VolumeRows(output, status.Volumes);
        if (status.Replicas.Count > 0)
        {
            output.WriteLine();
            var rows = new List<string[]> { new[] { "INSTANCE", "CONTAINER", "STATE", "READY", "RESTARTS", "LAST EXIT", "ADDRESS", "MESSAGE" } };
            rows.AddRange(status.Replicas.Select(i => new[]
            {
                i.Current ? i.Id : $"{i.Id} (old)", i.Container, i.State, i.Ready ? "yes" : "no",
                i.Restarts.ToString(CultureInfo.InvariantCulture), i.LastExitCode?.ToString(CultureInfo.InvariantCulture) ?? "-", i.Address ?? "-",
                i.StateMessage ?? string.Empty,
            }));
            MessageColumn.Cut(rows, width);
            WriteColumns(output, rows);
            LastLogLines(output, status.Slug, status.Replicas);
        }
    }

    /// <summary>
    /// The last lines of the last exited container of each replica that is not ready (a crash loop: why it exits), as
    /// <c>apply --wait</c> prints them; before, only <c>-o json</c> had them and <c>get</c> said "exited with code 1".
    /// </summary>
    private static void LastLogLines(TextWriter output, string slug, IReadOnlyList<ReplicaStatus> replicas)
    {
        foreach (var replica in replicas.Where(r => !r.Ready && r.LastLogLines.Count > 0))
        {
            output.WriteLine();
            output.WriteLine($"Last log lines of {replica.Id} (its last exited container; gradient-node logs {slug} --replica {replica.Index} for more):");
            foreach (var line in replica.LastLogLines.TakeLast(LogLinesShown))
            {
                output.WriteLine($"  {line}");
            }
        }
    }

    private const int LogLinesShown = 5;

    /// <summary>What the deployment mounts (integrations, models, datasets, volumes): where, fetched or not, how big; before, only in <c>-o json</c>.</summary>
    private static void VolumeRows(TextWriter output, IReadOnlyList<VolumeStatus> volumes)
    {
        if (volumes.Count == 0)
        {
            return;
        }

        output.WriteLine();
        var rows = new List<string[]> { new[] { "VOLUME", "KIND", "MOUNT", "STATE", "SIZE", "MESSAGE" } };
        rows.AddRange(volumes.Select(v => new[]
        {
            v.Field, v.Kind, v.ReadOnly ? $"{v.MountPath} (read-only)" : v.MountPath, v.State,
            VolumeSize(v), v.Message ?? string.Empty,
        }));
        WriteColumns(output, rows);
    }

    /// <summary>
    /// The size on disk, with the file count when a fetch counted the files. A model or dataset already in the node's
    /// store is mounted without a fetch, so its counters stay 0: it showed "8 bytes, 0 files" for a model of one file.
    /// </summary>
    private static string VolumeSize(VolumeStatus v)
    {
        var files = Math.Max(v.FilesDone, v.FilesTotal);
        return v.DiskBytes <= 0 ? "-" : files > 0 ? SizeText.WithFiles(v.DiskBytes, files) : SizeText.Of(v.DiskBytes);
    }

    private static void AutoscalingLines(TextWriter output, AutoscalingStatus autoscaling, int running)
    {
        var panic = autoscaling.Panic ? ", panic mode" : string.Empty;

        // The count it wants, and how many run when that differs (replicas waiting for GPUs, starting, or refused by --max-replicas).
        var runs = running == autoscaling.DesiredReplicas ? string.Empty : $" ({running} running)";
        output.WriteLine($"Autoscale: {autoscaling.MinReplicas}..{autoscaling.MaxReplicas} replicas, wants {autoscaling.DesiredReplicas}{runs}, recommends {autoscaling.Recommendation}{panic}{(autoscaling.Note is { } note ? $" ({note})" : string.Empty)}");
        foreach (var metric in autoscaling.Metrics)
        {
            var unit = metric.Metric == "requestDuration" ? " s" : " %";
            string Value(double? v) => v is { } x ? string.Create(CultureInfo.InvariantCulture, $"{x:0.###}{unit}") : "-";
            // The idle 0 says so: the Traffic line above still shows the 5-minute average of the requests that stopped.
            var idle = metric.Metric == "requestDuration" && metric.Value == 0 && metric.ShortWindowValue == 0 ? $", {Core.Autoscaling.AutoscaleDecider.IdleWords}" : string.Empty;
            output.WriteLine($"           {metric.Metric}: {Value(metric.Value)} (short window {Value(metric.ShortWindowValue)}{idle}), target {Value(metric.Target)}, proposes {metric.Proposal?.ToString(CultureInfo.InvariantCulture) ?? "-"}");
        }

        if (autoscaling.LastScale is { } last)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"           last scaled {last.From} -> {last.To} at {last.At:u}: {last.Reason}"));
        }
    }

    private static string Seconds(double? value) => value is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v * 1000:0.#} ms") : "-";

    /// <summary>The status JSON as YAML: the same keys and values as <c>-o json</c> (times as text, not a DateTimeOffset's properties).</summary>
    public static string Yaml(DeploymentStatus status) =>
        JsonYaml.Convert(JsonSerializer.Serialize(status, StatusJsonContext.Default.DeploymentStatus));

    private static void Section(TextWriter output, string title, IReadOnlyList<string> lines)
    {
        if (lines.Count == 0)
        {
            return;
        }

        output.WriteLine($"{title}:");
        foreach (var line in lines)
        {
            output.WriteLine($"  {line}");
        }
    }

    /// <summary>Rows as columns two spaces apart, each padded to its widest cell (the last left as is).</summary>
    public static void WriteColumns(TextWriter output, List<string[]> rows)
    {
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => DisplayWidth.Of(r[c]))).ToArray();
        foreach (var row in rows)
        {
            output.WriteLine(string.Join("  ", row.Select((cell, c) => c == row.Length - 1 ? cell : DisplayWidth.PadRight(cell, widths[c]))).TrimEnd());
        }
    }
}

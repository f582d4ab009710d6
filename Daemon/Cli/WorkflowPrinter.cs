using System.Globalization;
using System.Text.Json;

namespace GradientNode.Daemon.Cli;

/// <summary>The tables of <c>workflows ls</c> and <c>workflows runs</c>, aligned as every <c>ls</c> is (<see cref="StatusPrinter.WriteColumns"/>).</summary>
internal static class WorkflowPrinter
{
    /// <summary><c>workflows ls</c>: the body of <c>GET /v1/workflows</c>, one line per workflow.</summary>
    public static void Workflows(TextWriter output, JsonElement workflows)
    {
        List<string[]> rows = [["NAME", "RUNS", "LAST", "PHASE"]];
        rows.AddRange(workflows.EnumerateArray().Select(w => new[] { Field(w, "name"), Field(w, "runs"), Field(w, "lastRun"), Field(w, "lastPhase") }));
        StatusPrinter.WriteColumns(output, rows);
    }

    /// <summary>
    /// <c>workflows runs NAME</c>: the body of <c>GET /v1/workflows/NAME/runs</c>, one line per run (the message last,
    /// unpadded, cut as <c>ls</c> cuts one: <see cref="MessageColumn"/>, whole in <c>workflows get NAME RUN</c> and <c>-o json</c>).
    /// </summary>
    public static void Runs(TextWriter output, JsonElement runs, int? width = null)
    {
        List<string[]> rows = [["RUN", "PHASE", "STARTED", "FINISHED", "MESSAGE"]];
        rows.AddRange(runs.EnumerateArray().Select(r => new[] { Field(r, "run"), Field(r, "phase"), Time(r, "started"), Time(r, "finished"), OneLine(r) }));
        MessageColumn.Cut(rows, width);
        StatusPrinter.WriteColumns(output, rows);
    }

    /// <summary>A value as text; <c>-</c> when the field is absent or null.</summary>
    internal static string Field(JsonElement element, string key) =>
        element.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null ? value.ToString() : "-";

    /// <summary>A time as <c>secrets ls</c> shows one (<c>2026-12-03 08:58:56Z</c>); <c>-</c> when absent.</summary>
    internal static string Time(JsonElement element, string key) =>
        element.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var at)
            ? at.ToUniversalTime().ToString("u", CultureInfo.InvariantCulture)
            : Field(element, key);

    /// <summary>
    /// The run's message on one line, so that a message with line breaks cannot break the table. A run without one shows
    /// why its first waiting job waits (<c>train: waits for GPUs: …</c>): on a box without the GPUs it asks for, a run stays
    /// RUNNING, and the listing said nothing about why.
    /// </summary>
    private static string OneLine(JsonElement run)
    {
        var message = run.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        if (string.IsNullOrEmpty(message) && run.TryGetProperty("jobs", out var jobs) && jobs.ValueKind == JsonValueKind.Object)
        {
            message = jobs.EnumerateObject()
                .Where(j => Field(j.Value, "phase") == "PENDING" && j.Value.TryGetProperty("message", out var w) && w.ValueKind == JsonValueKind.String)
                .Select(j => $"{j.Name}: {j.Value.GetProperty("message").GetString()}")
                .FirstOrDefault();
        }

        return OneLine(message ?? string.Empty);
    }

    /// <summary><paramref name="text"/> with its line breaks (and the spaces around them) made single spaces (<see cref="MessageColumn.OneLine"/>).</summary>
    internal static string OneLine(string text) => MessageColumn.OneLine(text);
}

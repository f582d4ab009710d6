using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace GradientNode.Daemon.Cli;

/// <summary>
/// <c>workflows get NAME RUN</c> as text: the run's phase and times, its inputs, one row per job (phase, start,
/// duration, exit code, message; for a job whose container ended FAILED or ERROR, the command that shows its output) and its outputs, from the body of <c>GET /v1/workflows/NAME/runs/RUN</c>, as
/// <c>get NAME</c> shows a deployment. <c>-o json</c> and <c>-o yaml</c> print the body itself.
/// </summary>
internal static class WorkflowRunPrinter
{
    /// <summary>A string value longer than this is cut on its line (<c>-o json</c> has all of it).</summary>
    private const int ValueColumns = 60;

    public static void Details(TextWriter output, JsonElement run)
    {
        output.WriteLine($"Workflow:  {Text(run, "workflow")} (run {Text(run, "run")})");
        output.WriteLine($"Phase:     {Text(run, "phase")}");
        output.WriteLine($"Started:   {Time(run, "started")}");
        output.WriteLine($"Finished:  {Time(run, "finished")}{Took(run)}");
        if (Message(run) is { Length: > 0 } message)
        {
            output.WriteLine($"Message:   {message}");
        }

        Values(output, "Inputs", run, JobInlineInputs(run));
        if (run.TryGetProperty("jobs", out var jobs) && jobs.ValueKind == JsonValueKind.Object)
        {
            output.WriteLine("Jobs:");
            List<string[]> rows = [["  JOB", "PHASE", "STARTED", "TOOK", "EXIT", "MESSAGE"]];
            rows.AddRange(jobs.EnumerateObject().Select(j => new[]
            {
                "  " + j.Name, Text(j.Value, "phase"), Time(j.Value, "started"), Span(j.Value) ?? "-",
                Text(j.Value, "exitCode"), Message(j.Value),
            }));
            StatusPrinter.WriteColumns(output, rows);
            foreach (var failed in jobs.EnumerateObject().Where(j => Text(j.Value, "phase") is "FAILED" or "ERROR" && Text(j.Value, "exitCode") != "-"))
            {
                output.WriteLine($"  {failed.Name}'s output: gradient-node workflows logs {Quoted(Text(run, "workflow"))} {Text(run, "run")} --job {failed.Name}");
            }
        }

        Values(output, "Outputs", run);
    }

    /// <summary>A workflow name as a shell word (names are letters, digits and <c>-_.</c>, so this only guards).</summary>
    private static string Quoted(string name) => name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') ? name : $"'{name}'";

    /// <summary>
    /// The inputs or outputs of the run: name, type and value (a dataset's version, a string's text, nothing for a volume),
    /// then <paramref name="more"/> (the jobs' own inputs, for the inputs).
    /// </summary>
    private static void Values(TextWriter output, string title, JsonElement run, IEnumerable<(string Name, JsonElement Value)>? more = null)
    {
        var values = run.TryGetProperty(title.ToLowerInvariant(), out var own) && own.ValueKind == JsonValueKind.Object
            ? own.EnumerateObject().Select(v => (v.Name, v.Value)).ToList()
            : [];
        List<string[]> rows = [.. values.Concat(more ?? []).Select(v => new[] { "  " + v.Name, Text(v.Value, "type"), Value(v.Value) })];
        if (rows.Count == 0)
        {
            return;
        }

        output.WriteLine($"{title}:");
        StatusPrinter.WriteColumns(output, rows);
    }

    /// <summary>
    /// Each job's inline input (one the file declares under the job with its own <c>with</c>, not an alias of a workflow
    /// input or of another job's output, which the inputs or outputs show already) as <c>JOB.NAME</c>: so the version a job's
    /// <c>ref: corpus</c> read is said. Before, only <c>-o json</c> showed it (newuser15's finding).
    /// </summary>
    private static IEnumerable<(string Name, JsonElement Value)> JobInlineInputs(JsonElement run)
    {
        if (!run.TryGetProperty("jobs", out var jobs) || jobs.ValueKind != JsonValueKind.Object)
        {
            yield break;
        }

        foreach (var job in jobs.EnumerateObject())
        {
            if (!job.Value.TryGetProperty("inputs", out var inputs) || inputs.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            foreach (var input in inputs.EnumerateObject().Where(i => i.Value.ValueKind == JsonValueKind.Object
                && i.Value.TryGetProperty("with", out var with) && with.ValueKind == JsonValueKind.Object))
            {
                yield return ($"{job.Name}.{input.Name}", input.Value);
            }
        }
    }

    private static string Value(JsonElement value)
    {
        if (value.TryGetProperty("dataset", out var dataset) && dataset.ValueKind == JsonValueKind.Object)
        {
            var committed = dataset.TryGetProperty("isCommitted", out var c) && c.ValueKind == JsonValueKind.False ? " (not committed)" : string.Empty;
            var removed = dataset.TryGetProperty("isRemoved", out var r) && r.ValueKind == JsonValueKind.True ? " (removed since: datasets gc or rm)" : string.Empty;
            return Text(dataset, "id") + committed + removed;
        }

        if (value.TryGetProperty("value", out var text) && text.ValueKind == JsonValueKind.String)
        {
            // Quoted as JSON, so that a trailing newline or a tab shows; cut on the line when long.
            var quoted = $"\"{JsonEncodedText.Encode(text.GetString()!, JavaScriptEncoder.UnsafeRelaxedJsonEscaping)}\"";
            return quoted.Length <= ValueColumns ? quoted : DisplayWidth.Cut(quoted, ValueColumns) + $" ({text.GetString()!.Length} characters; -o json shows all)";
        }

        return value.TryGetProperty("with", out var with) && with.ValueKind == JsonValueKind.Object && with.TryGetProperty("ref", out var reference)
            ? $"{reference} (not resolved yet)"
            : string.Empty;
    }

    private static string Text(JsonElement element, string key) => WorkflowPrinter.Field(element, key);

    private static string Time(JsonElement element, string key) => WorkflowPrinter.Time(element, key);

    private static DateTimeOffset? At(JsonElement element, string key) =>
        element.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var at) ? at : null;

    /// <summary><c> (3.5s)</c> between started and finished; empty until both are known.</summary>
    private static string Took(JsonElement element) => Span(element) is { } span ? $" ({span})" : string.Empty;

    /// <summary>The time between started and finished (<c>3.5s</c>, <c>2m05s</c>, <c>1h02m</c>); null until both are known.</summary>
    private static string? Span(JsonElement element) =>
        At(element, "started") is { } started && At(element, "finished") is { } finished ? Duration(finished - started) : null;

    private static string Duration(TimeSpan took) => took.TotalSeconds switch
    {
        < 60 => string.Create(CultureInfo.InvariantCulture, $"{took.TotalSeconds:0.0}s"),
        < 3600 => string.Create(CultureInfo.InvariantCulture, $"{(int)took.TotalMinutes}m{took.Seconds:00}s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{(int)took.TotalHours}h{took.Minutes:00}m"),
    };

    /// <summary>A message on one line, so that one with line breaks cannot break the layout.</summary>
    private static string Message(JsonElement element) =>
        element.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String
            ? WorkflowPrinter.OneLine(m.GetString()!)
            : string.Empty;
}

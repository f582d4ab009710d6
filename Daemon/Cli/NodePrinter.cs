using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace GradientNode.Daemon.Cli;

/// <summary>
/// <c>gradient-node node</c>: a human summary of <c>GET /v1/node</c> by default, the JSON itself with <c>-o json</c>
/// (re-indented without escaping <c>+</c> or non-ASCII, so <c>20.10.24+dfsg1</c> reads as the engine said it).
/// </summary>
internal static class NodePrinter
{
    private static readonly JsonWriterOptions Relaxed = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Json(JsonElement root)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Relaxed))
        {
            root.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static void Summary(TextWriter output, JsonElement root)
    {
        output.WriteLine($"Node:        {Text(root, "node")} (gradient-node {Text(root, "version")})");
        EngineLines(output, root.GetProperty("engine"));
        if (root.TryGetProperty("host", out var host) && host.ValueKind == JsonValueKind.Object)
        {
            var memory = Size(host, "memoryBytes") is var m && m != "-" ? $"{m} memory" : "memory unknown";
            output.WriteLine($"Machine:     {Number(host, "cpus")} CPUs, {memory}");
        }

        output.WriteLine($"Listen:      {string.Join(", ", Strings(root, "listen"))} (domain {Text(root, "domain")})");
        output.WriteLine($"Specs:       {Text(root, "specsDir")}");
        output.WriteLine($"State:       {Text(root, "stateDir")} (run dir {Text(root, "runDir")})");
        output.WriteLine($"Deployments: {Number(root, "deployments")}");
        if (root.TryGetProperty("disk", out var disk) && disk.ValueKind == JsonValueKind.Object)
        {
            var images = Size(disk, "images") is var i && i != "-" ? $"images {i}, " : string.Empty;
            output.WriteLine($"Disk:        {images}volumes {Size(disk, "volumes")}, models {Size(disk, "models")}, datasets {Size(disk, "datasets")}");
        }

        GpuLines(output, root);
        var warnings = Strings(root, "warnings");
        if (warnings.Count > 0)
        {
            output.WriteLine("Warnings:");
            foreach (var warning in warnings)
            {
                output.WriteLine($"  {warning}");
            }
        }
    }

    private static void EngineLines(TextWriter output, JsonElement engine)
    {
        if (engine.TryGetProperty("reachable", out var reachable) && reachable.ValueKind == JsonValueKind.True)
        {
            var liveRestore = engine.TryGetProperty("liveRestore", out var lr) && lr.ValueKind == JsonValueKind.True ? "on" : "off";
            output.WriteLine($"Engine:      Docker {Text(engine, "version")} (API {Text(engine, "apiVersion")}) at {Text(engine, "host")}, live-restore {liveRestore}");
            output.WriteLine($"Runtimes:    {string.Join(", ", Strings(engine, "runtimes"))}");
        }
        else
        {
            output.WriteLine($"Engine:      unreachable at {Text(engine, "host")}: {Text(engine, "error")}");
        }
    }

    private static void GpuLines(TextWriter output, JsonElement root)
    {
        var gpus = root.TryGetProperty("gpus", out var list) && list.ValueKind == JsonValueKind.Array ? list.EnumerateArray().ToList() : [];
        if (gpus.Count == 0)
        {
            var note = root.TryGetProperty("gpuNote", out var n) && n.ValueKind == JsonValueKind.String ? $" ({n.GetString()})" : string.Empty;
            output.WriteLine($"GPUs:        none{note}");
            return;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"GPUs:        {gpus.Count}"));
        var rows = new List<string[]> { new[] { "  INDEX", "NAME", "UUID", "MEMORY", "UTIL", "TEMP", "HELD BY" } };
        rows.AddRange(gpus.Select(g => new[]
        {
            $"  {Number(g, "index")}", Text(g, "name"), Text(g, "uuid"),
            g.TryGetProperty("memoryTotalMiB", out var total) && total.ValueKind == JsonValueKind.Number
                ? $"{Number(g, "memoryUsedMiB")}/{total.GetInt64().ToString(CultureInfo.InvariantCulture)} MiB" : "-",
            g.TryGetProperty("utilizationPercent", out var util) && util.ValueKind == JsonValueKind.Number ? $"{util.GetInt32().ToString(CultureInfo.InvariantCulture)} %" : "-",
            g.TryGetProperty("temperatureC", out var temp) && temp.ValueKind == JsonValueKind.Number ? $"{temp.GetInt32().ToString(CultureInfo.InvariantCulture)} C" : "-",
            g.TryGetProperty("heldBy", out var held) && held.ValueKind == JsonValueKind.String ? held.GetString()! : "free",
        }));
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => DisplayWidth.Of(r[c]))).ToArray();
        foreach (var row in rows)
        {
            output.WriteLine(string.Join("  ", row.Select((cell, c) => c == row.Length - 1 ? cell : DisplayWidth.PadRight(cell, widths[c]))).TrimEnd());
        }
    }

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "-";

    private static string Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetRawText() : "-";

    private static string Size(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var bytes) ? SizeText.Of(bytes) : "-";

    private static List<string> Strings(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToList()
            : [];
}

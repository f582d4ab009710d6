using System.Globalization;

namespace GradientNode.Core.Gpus;

/// <summary>Parses the text <c>nvidia-smi</c> prints. Pure.</summary>
public static class NvidiaSmiParser
{
    /// <summary>The fields <see cref="ParseQuery"/> expects, in order.</summary>
    public const string QueryFields = "index,uuid,name,memory.total,memory.used,utilization.gpu,persistence_mode,temperature.gpu";

    /// <summary>The arguments that make nvidia-smi print what <see cref="ParseQuery"/> reads.</summary>
    public static IReadOnlyList<string> QueryArguments { get; } = [$"--query-gpu={QueryFields}", "--format=csv,noheader,nounits"];

    /// <summary>
    /// Reads <c>--query-gpu=index,uuid,name,memory.total,memory.used,utilization.gpu,persistence_mode,temperature.gpu --format=csv,noheader,nounits</c>:
    /// one line per GPU, fields separated by <c>", "</c>, e.g. <c>0, GPU-6d2c…, NVIDIA H100 80GB HBM3, 81559, 0, 0, Enabled, 34</c>.
    /// A line without the temperature (ending in the persistence mode, as older callers asked) is read too.
    /// Lines that do not have an index and a UUID are skipped.
    /// </summary>
    public static IReadOnlyList<GpuDevice> ParseQuery(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var devices = new List<GpuDevice>();
        foreach (var raw in text.Split('\n'))
        {
            var fields = raw.Trim().Split(',').Select(f => f.Trim()).ToList();
            if (fields.Count < 7)
            {
                continue;
            }

            // The fields after the name: four without the temperature (the line ends in Enabled/Disabled), else five.
            var tail = fields.Count == 7 || fields[^1] is "Enabled" or "Disabled" ? 4 : 5;
            if (fields.Count > 3 + tail)
            {
                // A model name with a comma in it: everything between the UUID and the last fields.
                var name = string.Join(", ", fields.Skip(2).Take(fields.Count - 2 - tail));
                fields = [fields[0], fields[1], name, .. fields.TakeLast(tail)];
            }

            if (Long(fields[0]) is not { } index || !fields[1].StartsWith("GPU-", StringComparison.Ordinal))
            {
                continue;
            }

            devices.Add(new GpuDevice(
                (int)index,
                fields[1],
                fields[2],
                Long(fields[3]),
                Long(fields[4]),
                Long(fields[5]) is { } util ? (int)util : null,
                fields[6] switch
                {
                    "Enabled" => true,
                    "Disabled" => false,
                    _ => null,
                },
                fields.Count > 7 && Long(fields[7]) is { } celsius ? (int)celsius : null));
        }

        return devices;
    }

    /// <summary>
    /// Reads <c>nvidia-smi -L</c>: <c>GPU 0: NAME (UUID: GPU-…)</c> lines, each followed by its MIG devices as
    /// <c>  MIG 1g.10gb     Device  0: (UUID: MIG-…)</c>. Returns the MIG device UUIDs by GPU UUID.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> ParseMig(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        string? gpu = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            var uuid = UuidOf(line);
            if (line.StartsWith("GPU ", StringComparison.Ordinal))
            {
                gpu = uuid;
            }
            else if (line.StartsWith("MIG ", StringComparison.Ordinal) && gpu is not null && uuid is not null)
            {
                if (!result.TryGetValue(gpu, out var list))
                {
                    result[gpu] = list = [];
                }

                list.Add(uuid);
            }
        }

        return result.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value, StringComparer.Ordinal);
    }

    private static string? UuidOf(string line)
    {
        const string marker = "(UUID: ";
        var start = line.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += marker.Length;
        var end = line.IndexOf(')', start);
        return end < 0 ? null : line[start..end].Trim();
    }

    /// <summary>A number, or null for <c>[N/A]</c>, <c>[Not Supported]</c> and anything else that is not one.</summary>
    private static long? Long(string field) =>
        long.TryParse(field, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value
        : double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? (long)d : null;
}

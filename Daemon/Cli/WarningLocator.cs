using GradientNode.Core.Specs;

namespace GradientNode.Daemon.Cli;

/// <summary>
/// Heads a <c>validate</c>/<c>apply</c>/<c>diff</c> warning (<c>warning: FIELD: …</c>, as <see cref="MachineTypeWarnings"/>,
/// <see cref="EphemeralSecretWarnings"/> and <see cref="WorkflowValidation"/> write them) with the <c>file:line:col</c>
/// of the value it is about, as errors are headed. Before, warnings named only the file (<c>app.yaml: warning:
/// resources.machineType: 'c44' …</c>), so the author looked for the line. The parsed spec keeps no positions, so the
/// text (which parsed before) is read again; a field it cannot find keeps the file alone.
/// </summary>
internal sealed class WarningLocator
{
    private const string Prefix = "warning: ";
    private readonly YamlPositions _scalars;

    private WarningLocator(YamlPositions scalars) => _scalars = scalars;

    public static WarningLocator Read(string file, string text) => new(YamlPositions.Read(file, text));

    /// <summary><c>file:line:col: warning: …</c> at the warning's field, else <c>file: warning: …</c>.</summary>
    public string Locate(string warning) => Format(warning, Find(warning));

    /// <summary>Each of <paramref name="warnings"/> as <see cref="Locate"/> heads it, in the order their fields were written (unplaced ones last).</summary>
    public IEnumerable<string> LocateInFileOrder(IEnumerable<string> warnings) =>
        warnings.Select(w => (Warning: w, At: Find(w))).OrderBy(w => w.At is null).ThenBy(w => w.At?.Line).ThenBy(w => w.At?.Column).Select(w => Format(w.Warning, w.At));

    private string Format(string warning, SpecPosition? at) => at is null ? $"{_scalars.File}: {warning}" : $"{at}: {warning}";

    private SpecPosition? Find(string warning)
    {
        ArgumentNullException.ThrowIfNull(warning);
        var end = warning.StartsWith(Prefix, StringComparison.Ordinal) ? warning.IndexOf(": ", Prefix.Length, StringComparison.Ordinal) : -1;
        var candidates = end < 0 ? [] : Candidates(warning[Prefix.Length..end]).ToList();

        // A value written at a candidate first; else where a field of a mapping or list value was written (integrations[2]).
        return candidates.Select(_scalars.At).Concat(candidates.Select(_scalars.NodeAt)).FirstOrDefault(p => p is not null);
    }

    /// <summary>The YAML paths a warning's field may have been written at, the likeliest first.</summary>
    private IEnumerable<string> Candidates(string field)
    {
        // env[NAME], integrations[NAME].secretAccessKey, repositories[NAME].password: items named by their name key;
        // models[ID].id: a legacy model, named by its id.
        var open = field.IndexOf('[', StringComparison.Ordinal);
        var close = field.IndexOf(']', StringComparison.Ordinal);
        if (open > 0 && close > open && !int.TryParse(field.AsSpan(open + 1, close - open - 1), out _))
        {
            var list = field[..open] == "repositories" ? "repositories.repositories" : field[..open];
            var name = field[(open + 1)..close];
            var rest = close + 1 < field.Length ? field[(close + 1)..] : ".value";
            for (var i = 0; Named(list, i, out var itemName); i++)
            {
                if (itemName == name)
                {
                    yield return $"{list}[{i}]{rest}";
                    if (close + 1 == field.Length)
                    {
                        // models[ID] (export's "not exported"): an item with no value field points at the item itself.
                        yield return $"{list}[{i}]";
                    }
                }
            }

            yield break;
        }

        yield return field;
        var parts = field.Split('.');
        if (parts is ["jobs", var job])
        {
            // A job's instance type: its own, else the default it takes.
            yield return $"jobs.{job}.resources.instance-type";
            yield return "defaults.resources.instance-type";
        }
        else if (parts is ["jobs", _, "env", ..])
        {
            yield return $"defaults.env.{string.Join('.', parts[3..])}";
        }
    }

    /// <summary>Whether the list has an item at <paramref name="index"/> named by its <c>name</c> (else its <c>id</c>).</summary>
    private bool Named(string list, int index, out string? name) =>
        _scalars.TryGetValue($"{list}[{index}].name", out name) || _scalars.TryGetValue($"{list}[{index}].id", out name);
}

using GradientNode.Core.Specs;
using YamlDotNet.RepresentationModel;

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
    private readonly Dictionary<string, (SpecPosition At, string? Value)> _scalars = new(StringComparer.Ordinal);
    private readonly string _file;

    private WarningLocator(string file) => _file = file;

    public static WarningLocator Read(string file, string text)
    {
        var locator = new WarningLocator(file);
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count > 0)
            {
                locator.Walk(string.Empty, stream.Documents[0].RootNode, depth: 0);
            }
        }
        catch (YamlDotNet.Core.YamlException)
        {
            // The file parsed before; a failure here only loses the positions.
        }

        return locator;
    }

    /// <summary><c>file:line:col: warning: …</c> at the warning's field, else <c>file: warning: …</c>.</summary>
    public string Locate(string warning)
    {
        ArgumentNullException.ThrowIfNull(warning);
        var end = warning.StartsWith(Prefix, StringComparison.Ordinal) ? warning.IndexOf(": ", Prefix.Length, StringComparison.Ordinal) : -1;
        var at = end < 0 ? null : Candidates(warning[Prefix.Length..end]).Select(p => _scalars.GetValueOrDefault(p).At).FirstOrDefault(p => p is not null);
        return at is null ? $"{_file}: {warning}" : $"{at}: {warning}";
    }

    /// <summary>The YAML paths a warning's field may have been written at, the likeliest first.</summary>
    private IEnumerable<string> Candidates(string field)
    {
        // env[NAME], integrations[NAME].secretAccessKey, repositories[NAME].password: items named by their name key.
        var open = field.IndexOf('[', StringComparison.Ordinal);
        var close = field.IndexOf(']', StringComparison.Ordinal);
        if (open > 0 && close > open && !int.TryParse(field.AsSpan(open + 1, close - open - 1), out _))
        {
            var list = field[..open] == "repositories" ? "repositories.repositories" : field[..open];
            var name = field[(open + 1)..close];
            var rest = close + 1 < field.Length ? field[(close + 1)..] : ".value";
            for (var i = 0; _scalars.TryGetValue($"{list}[{i}].name", out var item); i++)
            {
                if (item.Value == name)
                {
                    yield return $"{list}[{i}]{rest}";
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

    private void Walk(string path, YamlNode node, int depth)
    {
        // The file's own depth limit (64) held when it parsed; this bound only keeps an odd alias loop finite.
        if (depth > 64)
        {
            return;
        }

        switch (node)
        {
            case YamlScalarNode scalar:
                _scalars.TryAdd(path, (new SpecPosition(_file, (int)scalar.Start.Line, (int)scalar.Start.Column), scalar.Value));
                break;
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is YamlScalarNode { Value: { } name })
                    {
                        Walk(path.Length == 0 ? name : $"{path}.{name}", value, depth + 1);
                    }
                }

                break;
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    Walk($"{path}[{i}]", sequence.Children[i], depth + 1);
                }

                break;
        }
    }
}

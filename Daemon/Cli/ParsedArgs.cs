namespace GradientNode.Daemon.Cli;

/// <summary>
/// A parsed command line: the verb words, positional arguments and options. Options are <c>--name value</c>,
/// <c>--name=value</c> or <c>-x value</c>; those in <see cref="Flags"/> take no value. Repeated options keep every value.
/// A last option without its value is kept aside: <see cref="OptionNames"/> lists it, so a verb's unknown-option check
/// names it as unknown when the verb does not take it (<c>ls --bogus</c>); any other read of the arguments then fails
/// with "option X needs a value".
/// </summary>
internal sealed class ParsedArgs
{
    private static readonly HashSet<string> Flags = new(StringComparer.Ordinal)
    {
        "--follow", "--help", "-h", "--password-stdin", "--version",
    };

    private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);
    private readonly List<string> _positionals = [];
    private string? _valueMissing;

    public List<string> Positionals
    {
        get
        {
            ThrowIfValueMissing();
            return _positionals;
        }
    }

    public HashSet<string> SetFlags { get; } = new(StringComparer.Ordinal);

    /// <summary>True for the options that never take a value.</summary>
    public static bool IsFlag(string name) => Flags.Contains(name);

    /// <summary>Parses <paramref name="args"/>; <paramref name="flagNames"/> lists extra value-less options for this verb.</summary>
    public static ParsedArgs Parse(IReadOnlyList<string> args, params string[] flagNames)
    {
        var flags = new HashSet<string>(Flags, StringComparer.Ordinal);
        flags.UnionWith(flagNames);
        var parsed = new ParsedArgs();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                parsed._positionals.AddRange(args.Skip(i + 1));
                break;
            }

            if (!arg.StartsWith('-') || arg == "-")
            {
                parsed._positionals.Add(arg);
                continue;
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                parsed.Add(arg[..equals], arg[(equals + 1)..]);
            }
            else if (flags.Contains(arg))
            {
                parsed.SetFlags.Add(arg);
            }
            else if (i + 1 < args.Count)
            {
                parsed.Add(arg, args[++i]);
            }
            else
            {
                parsed._valueMissing = arg;
            }
        }

        return parsed;
    }

    public bool Has(params string[] names)
    {
        ThrowIfValueMissing();
        return names.Any(n => SetFlags.Contains(n) || _options.ContainsKey(n));
    }

    public string? Get(params string[] names)
    {
        ThrowIfValueMissing();
        foreach (var name in names)
        {
            if (_options.TryGetValue(name, out var values))
            {
                return values[^1];
            }
        }

        return null;
    }

    public IReadOnlyList<string> GetAll(params string[] names)
    {
        ThrowIfValueMissing();
        return [.. names.SelectMany(n => _options.TryGetValue(n, out var values) ? values : [])];
    }

    /// <summary>Every option given with a value, and a last one given without.</summary>
    public IEnumerable<string> OptionNames => _valueMissing is null ? _options.Keys : _options.Keys.Append(_valueMissing);

    /// <summary>Throws <see cref="UsageException"/> when the last option had no value.</summary>
    public void ThrowIfValueMissing()
    {
        if (_valueMissing is not null)
        {
            throw new UsageException($"option {_valueMissing} needs a value");
        }
    }

    private void Add(string name, string value)
    {
        if (!_options.TryGetValue(name, out var values))
        {
            values = [];
            _options[name] = values;
        }

        values.Add(value);
    }
}

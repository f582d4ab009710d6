namespace GradientNode.Daemon.Cli;

/// <summary>
/// A parsed command line: the verb words, positional arguments and options. Options are <c>--name value</c>,
/// <c>--name=value</c> or <c>-x value</c>; those in <see cref="Flags"/> take no value. Repeated options keep every value.
/// A last option without its value is kept aside: <see cref="OptionNames"/> lists it, so a verb's unknown-option check
/// names it as unknown when the verb does not take it (<c>ls --bogus</c>); any other read of the arguments then fails
/// with "option X needs a value". An empty positional argument or option value is a usage error when read.
/// </summary>
internal sealed class ParsedArgs
{
    private static readonly HashSet<string> Flags = new(StringComparer.Ordinal)
    {
        "--dry-run", "--follow", "--help", "-h", "--password-stdin", "--raw", "--version",
    };

    private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);
    private readonly List<string> _positionals = [];
    private string? _valueMissing;

    /// <summary>
    /// The positional arguments. An empty (or all-space) one is a usage error: no verb takes one as a name or a file, and
    /// one left by a shell variable that was not set (<c>gradient-node get "$NAME"</c>) must not read as "no name".
    /// </summary>
    public List<string> Positionals
    {
        get
        {
            ThrowIfValueMissing();
            if (_positionals.FindIndex(string.IsNullOrWhiteSpace) is var empty and >= 0)
            {
                throw new UsageException($"argument {empty + 1} is empty ('{_positionals[empty]}'): give a name or a file (an unset shell variable?)");
            }

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
                return NotEmpty(name, values[^1]);
            }
        }

        return null;
    }

    public IReadOnlyList<string> GetAll(params string[] names)
    {
        ThrowIfValueMissing();
        return [.. names.SelectMany(n => _options.TryGetValue(n, out var values) ? values.Select(v => NotEmpty(n, v)) : [])];
    }

    /// <summary>An option given an empty value (<c>-f ""</c>, <c>--tag=</c>) is a usage error, as an empty argument is.</summary>
    private static string NotEmpty(string name, string value) =>
        value.Length > 0 ? value : throw new UsageException($"option {name} is empty: give it a value (an unset shell variable?)");

    /// <summary>A copy holding only the options named (no positionals, no flags): what another reader, such as the node
    /// settings a client verb needs, may see of a verb's command line.</summary>
    public ParsedArgs Only(params string[] names)
    {
        var only = new ParsedArgs();
        foreach (var name in names.Where(_options.ContainsKey))
        {
            only._options[name] = [.. _options[name]];
        }

        return only;
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

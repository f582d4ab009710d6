using GradientNode.Core.Specs.Parsing;
using GradientNode.Daemon.Cli;
using YamlDotNet.RepresentationModel;

namespace GradientNode.Daemon.Configuration;

/// <summary>
/// node.yaml's top-level keys: strings, string lists and string maps (labels). Reading is bounded like a
/// spec (<see cref="YamlGuard"/>); every problem, an unknown key included, is a <see cref="UsageException"/>
/// with <c>file:line:col</c>, so the daemon refuses to start on a misspelt setting.
/// </summary>
internal sealed class NodeConfigFile
{
    /// <summary>Every key node.yaml may hold; keys read through <see cref="GetValueOrDefault"/> count as known too.</summary>
    public static readonly IReadOnlyList<string> KnownKeys =
    [
        "specsDir", "stateDir", "runDir", "socket", "dockerHost", "listen", "domain", "nodeName", "labels",
        "readyWaitSeconds", "socketGroup", "apiMaxConnections", "maxLogFollows", "autoscaleInterval", "scaleDownStabilization", "drainTimeout",
        "progressDeadline", "machineTypes", "gpuModelMustMatch", "maxHeldRequests", "maxConnectionsPerAddress", "maxReplicas", "pidsLimit", "containersCgroup", "engineConcurrency", "logMaxSize",
        "logMaxFiles", "gitLocalRoots", "modelUploadLimit", "pullStallTimeout", "datasetKeep", "datasetMaxEntries", "workflowJobLimit", "workflowJobMemory", "workflowRunsKept",
        "tlsCert", "tlsKey", "tlsDir", "httpsRedirect", "hsts", "console", "replicaNetwork",
    ];

    private readonly Dictionary<string, (object Value, YamlScalarNode Key)> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _asked = new(StringComparer.Ordinal);

    private NodeConfigFile(string path) => Path = path;

    public string Path { get; }

    /// <summary>
    /// Reads <paramref name="path"/>; a missing file is empty unless <paramref name="mustExist"/>, and so is <c>/dev/null</c>.
    /// Anything else that is not a regular file (a folder, a fifo, a device, a socket) is an error naming it, never read
    /// (<see cref="Core.Common.ConfigFileText"/>).
    /// </summary>
    public static NodeConfigFile Read(string path, bool mustExist)
    {
        var file = new NodeConfigFile(path);
        string? text;
        try
        {
            text = Core.Common.ConfigFileText.Read(path, YamlGuard.MaxChars);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"config file {ex.Message}");
        }

        if (text is null)
        {
            return mustExist ? throw new UsageException($"config file {path} does not exist") : file;
        }

        if (YamlGuard.Check(text) is { } limit)
        {
            throw new UsageException($"{path}:{limit.Line}:{limit.Column}: {limit.Message}");
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            throw new UsageException($"{path}:{ex.Start.Line}:{ex.Start.Column}: {ex.Message}");
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet throws these, with no position, on some unclosed '[' or '{' followed by more lines.
            var stop = YamlStopMark.Find(text);
            throw new UsageException($"{path}:{stop.Line}:{stop.Column}: {YamlStopMark.Message}");
        }

        if (stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode root)
        {
            foreach (var (keyNode, valueNode) in root.Children)
            {
                var key = keyNode as YamlScalarNode ?? throw file.Error(keyNode, "keys must be strings");
                file._values[key.Value ?? string.Empty] = (file.Convert(key.Value ?? string.Empty, valueNode), key);
            }
        }

        return file;
    }

    /// <summary>The value of <paramref name="key"/> (a string, a list of strings or a string map), or null.</summary>
    public object? GetValueOrDefault(string key)
    {
        _asked.Add(key);
        return _values.TryGetValue(key, out var entry) ? entry.Value : null;
    }

    /// <summary>The string value of <paramref name="key"/>, or null when it is not set; a list or map there is an error at the key.</summary>
    public string? GetString(string key) => GetValueOrDefault(key) switch
    {
        null => null,
        string value => value,
        var other => throw WrongType(key, other, "a string"),
    };

    /// <summary>The value of <paramref name="key"/> as a list (one string is a list of one), or null; a map there is an error at the key.</summary>
    public IReadOnlyList<string>? GetStrings(string key) => GetValueOrDefault(key) switch
    {
        null => null,
        string one => [one],
        List<string> many => many,
        var other => throw WrongType(key, other, "a string or a list of strings"),
    };

    /// <summary>The string map of <paramref name="key"/>, or null; a string or list there is an error at the key.</summary>
    public IReadOnlyDictionary<string, string>? GetMap(string key) => GetValueOrDefault(key) switch
    {
        null => null,
        Dictionary<string, string> map => map,
        var other => throw WrongType(key, other, "a map (key: value lines under it)"),
    };

    /// <summary><c>file:line:col</c> of <paramref name="key"/> (the file's path when the key is not in it), for messages about its value.</summary>
    public string Where(string key) =>
        _values.TryGetValue(key, out var entry) ? $"{Path}:{entry.Key.Start.Line}:{entry.Key.Start.Column}" : Path;

    /// <summary>Fails with every key that is neither in <see cref="KnownKeys"/> nor was asked for.</summary>
    public void ThrowOnUnknownKeys()
    {
        var known = KnownKeys.Concat(_asked).ToHashSet(StringComparer.Ordinal);
        var unknown = _values.Where(pair => !known.Contains(pair.Key))
            .Select(pair => pair.Value.Key)
            .OrderBy(key => key.Start.Line).ThenBy(key => key.Start.Column)
            .Select(key => At(key, Unknown(key.Value ?? string.Empty, known)))
            .ToList();
        if (unknown.Count > 0)
        {
            throw new UsageException(string.Join("\n", unknown));
        }
    }

    private static string Unknown(string key, IEnumerable<string> known) =>
        KeySuggester.Suggest(key, known) is { } suggestion
            ? $"unknown key '{key}'; did you mean '{suggestion}'?"
            : $"unknown key '{key}'";

    private object Convert(string key, YamlNode value) => value switch
    {
        YamlScalarNode scalar => scalar.Value ?? string.Empty,
        YamlSequenceNode list => list.Children.Select(item => item is YamlScalarNode s ? s.Value ?? string.Empty : throw Error(item, $"{key}: expected a list of strings")).ToList(),
        YamlMappingNode map => map.Children.ToDictionary(
            pair => pair.Key is YamlScalarNode s ? s.Value ?? string.Empty : throw Error(pair.Key, $"{key}: keys must be strings"),
            pair => pair.Value is YamlScalarNode s ? s.Value ?? string.Empty : string.Empty,
            StringComparer.Ordinal),
        _ => throw Error(value, $"unsupported value for {key}"),
    };

    private UsageException WrongType(string key, object value, string expected) =>
        new($"{Where(key)}: {key} expects {expected}, not {(value is string ? "a string" : value is List<string> ? "a list" : "a map")}");

    private UsageException Error(YamlNode node, string message) => new(At(node, message));

    private string At(YamlNode node, string message) => $"{Path}:{node.Start.Line}:{node.Start.Column}: {message}";
}

namespace GradientNode.Core.Specs;

/// <summary>
/// The names a spec gives the node's stores: a model id (<c>NAME</c> or <c>NAME:VERSION</c>) and a dataset name. Each
/// becomes a path segment under the state directory and, for a legacy model, the folder under <c>path</c> it is mounted
/// at, so <c>..</c>, <c>/</c> and leading dots are refused when the spec is parsed, and again when the volumes are
/// planned (defence in depth: <c>VolumePlanner</c>, <c>VersionedStore.CheckName</c>).
/// </summary>
public static class StoreNames
{
    public const int MaxSegmentLength = 128;

    public const string ModelIdRule = "NAME or NAME:VERSION, each 1-128 letters, digits, '-', '_' or '.', not starting with '.'";

    /// <summary>A JSON-schema pattern for <see cref="CheckModelId"/> (ECMA-262: <c>$</c> is the end of the text).</summary>
    public const string ModelIdPattern = "^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}(:[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127})?$";

    public const string DatasetNameRule = "a dataset name starts with a letter followed by letters, digits, '_', '-' or '.' (at most 128)";

    /// <summary>A JSON-schema pattern for <see cref="CheckDatasetName"/>.</summary>
    public const string DatasetNamePattern = "^[A-Za-z][A-Za-z0-9_.-]{0,127}$";

    /// <summary>Null for a usable model id, else the problem (naming the id with control characters shown as '?').</summary>
    public static string? CheckModelId(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var colon = id.IndexOf(':', StringComparison.Ordinal);
        var ok = colon < 0 ? IsSegment(id) : IsSegment(id[..colon]) && IsSegment(id[(colon + 1)..]);
        return ok ? null : $"'{Printable(id)}' is not a valid model id: {ModelIdRule}";
    }

    /// <summary>Null for a usable dataset name, else the problem.</summary>
    public static string? CheckDatasetName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return SecretName.IsValid(name) ? null : $"'{Printable(name)}' is not a valid dataset name: {DatasetNameRule}";
    }

    private static bool IsSegment(string name) =>
        name.Length is > 0 and <= MaxSegmentLength && name[0] != '.' && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    private static string Printable(string text) =>
        text.Length > 60 ? new string([.. text.Take(57).Select(Visible)]) + "..." : new string([.. text.Select(Visible)]);

    private static char Visible(char c) => char.IsControl(c) ? '?' : c;
}

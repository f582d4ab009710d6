namespace GradientNode.Core.Specs.Parsing;

/// <summary>Mount paths must be absolute and not the root (the docs: "/ or . will cause an error").</summary>
internal static class PathRules
{
    /// <summary>Null when acceptable, else why not.</summary>
    public static string? Check(string path)
    {
        if (!path.StartsWith('/'))
        {
            return "must be an absolute path (starting with '/')";
        }

        if (path.TrimEnd('/').Length == 0)
        {
            return "must not be the root directory '/'";
        }

        if (path.Any(char.IsControl))
        {
            return "must not contain control characters (a newline, a tab, NUL)";
        }

        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Any(s => s is "." or "..") ? "must not contain '.' or '..' segments" : null;
    }

    public static string Normalize(string path) => path.TrimEnd('/');

    /// <summary>Null when <paramref name="name"/> is one path segment (a folder name under a mount path), else why not.</summary>
    public static string? CheckSegment(string name) =>
        name.Length == 0 || name is "." or ".." || name.Contains('/', StringComparison.Ordinal) || name.Any(char.IsControl)
            ? $"'{Printable(name)}' must be a single path segment (no '/', no control characters, not '.' or '..')"
            : null;

    /// <summary>A name as an error may echo it: control characters as '?'.</summary>
    private static string Printable(string name) => new([.. name.Select(c => char.IsControl(c) ? '?' : c)]);

    /// <summary>True when one path is the other or lies under it.</summary>
    public static bool Overlap(string a, string b)
    {
        var (x, y) = (Normalize(a) + "/", Normalize(b) + "/");
        return x.StartsWith(y, StringComparison.Ordinal) || y.StartsWith(x, StringComparison.Ordinal);
    }
}

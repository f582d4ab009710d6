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

        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Any(s => s is "." or "..") ? "must not contain '.' or '..' segments" : null;
    }

    public static string Normalize(string path) => path.TrimEnd('/');
}

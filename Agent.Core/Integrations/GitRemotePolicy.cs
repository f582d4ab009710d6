namespace GradientNode.Core.Integrations;

/// <summary>
/// Which git remotes a fetch may use. Local remotes (<c>file://</c> URLs and paths) would let a spec author clone any
/// repository the daemon (root) can read, so they are refused unless they resolve, symbolic links followed, under one
/// of the <c>--git-local-root</c> folders. Remote helpers (<c>transport::address</c>) are refused outright.
/// </summary>
public sealed class GitRemotePolicy
{
    private const int MaxLinkHops = 40;
    private readonly List<string> _roots;

    public GitRemotePolicy(IEnumerable<string> localRoots)
    {
        ArgumentNullException.ThrowIfNull(localRoots);
        _roots = [.. localRoots.Select(r => RealPath(Path.GetFullPath(r)))];
    }

    public static GitRemotePolicy NoLocalRemotes { get; } = new([]);

    /// <summary>Why <paramref name="url"/> may not be fetched, or null when it may.</summary>
    public string? Check(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var shown = GitSource.Redacted(url);
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var firstSlash = url.IndexOf('/', StringComparison.Ordinal);
        var helper = url.IndexOf("::", StringComparison.Ordinal);
        if (helper >= 0 && (schemeEnd < 0 || helper < schemeEnd) && (firstSlash < 0 || helper < firstSlash))
        {
            return $"repository url {shown} names a git remote helper ('{url[..helper]}::'), which the node does not run";
        }

        string path;
        if (schemeEnd >= 0)
        {
            if (!url[..schemeEnd].Equals("file", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            path = url[(schemeEnd + 3)..];
            if (!path.StartsWith('/'))
            {
                return $"repository url {shown} is a local path but not file:///absolute/path";
            }
        }
        else
        {
            var colon = url.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && (firstSlash < 0 || colon < firstSlash))
            {
                return null; // scp-like ssh: host:path
            }

            path = url;
        }

        var rule = _roots.Count == 0
            ? "local git remotes must lie under a --git-local-root directory (none configured)"
            : $"local git remotes must lie under a --git-local-root directory ({string.Join(", ", _roots)})";
        if (path.Split('/').Any(s => s == "..") || path.Contains('%', StringComparison.Ordinal) || path.Contains('\0', StringComparison.Ordinal))
        {
            return $"repository url {shown} is a local path with '..' or '%'; {rule}";
        }

        var full = Path.GetFullPath(path);
        var real = RealPath(full);
        if (_roots.Any(root => IsUnder(real, root)))
        {
            return null;
        }

        // Under a root as written, outside once links are followed: say so, or the message contradicts the url it quotes.
        // The link's target is not named (the caller may not be allowed to see where it leads).
        return _roots.Any(root => IsUnder(full, root))
            ? $"repository url {shown} is a local path under a --git-local-root directory, but a symbolic link on it leads outside every one; {rule}"
            : $"repository url {shown} is a local path; {rule}";
    }

    private static bool IsUnder(string path, string root) =>
        path == root || path.StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal);

    /// <summary>The folder a local remote (<c>file:///path</c> or a path) names, or null for a network remote.</summary>
    internal static string? LocalPath(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd >= 0)
        {
            return url[..schemeEnd].Equals("file", StringComparison.OrdinalIgnoreCase) ? Path.GetFullPath(url[(schemeEnd + 3)..]) : null;
        }

        var colon = url.IndexOf(':', StringComparison.Ordinal);
        var firstSlash = url.IndexOf('/', StringComparison.Ordinal);
        return colon > 0 && (firstSlash < 0 || colon < firstSlash) ? null : Path.GetFullPath(url);
    }

    /// <summary>The path with every symbolic link resolved (missing parts are kept as written).</summary>
    internal static string RealPath(string fullPath)
    {
        var hops = 0;
        return Resolve(fullPath, "/", ref hops);
    }

    private static string Resolve(string path, string start, ref int hops)
    {
        var current = path.StartsWith('/') ? "/" : start;
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? "/";
                continue;
            }

            var next = Path.Combine(current, part);
            if (new FileInfo(next).LinkTarget is { } target)
            {
                if (++hops > MaxLinkHops)
                {
                    throw new IOException($"too many levels of symbolic links at {next}");
                }

                next = Resolve(target, current, ref hops);
            }

            current = next;
        }

        return current;
    }
}

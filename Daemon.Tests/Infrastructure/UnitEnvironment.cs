using GradientNode.Tests.Install;

namespace GradientNode.Tests.Infrastructure;

/// <summary>
/// The runtime settings a role's systemd unit gives it (its <c>Environment=DOTNET_…</c> lines), so that tests of the
/// published binary's <c>daemon</c> and <c>proxy</c> roles run them as the installed units do.
/// </summary>
internal static class UnitEnvironment
{
    /// <summary>The unit file of a role, or null for <c>up</c> (run by hand, no unit).</summary>
    private static string? UnitFile(string role) => role switch
    {
        "daemon" => "gradient-node.service",
        "proxy" => "gradient-node-proxy.service",
        _ => null,
    };

    /// <summary>The <c>DOTNET_</c> variables the role's unit sets, in file order; none for <c>up</c>.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> For(string role)
    {
        if (UnitFile(role) is not { } unit)
        {
            return [];
        }

        return File.ReadAllLines(Path.Combine(ShellTool.RepoRoot(), "systemd", unit))
            .Where(l => l.StartsWith("Environment=DOTNET_", StringComparison.Ordinal))
            .Select(l => l["Environment=".Length..].Split('=', 2))
            .Select(p => new KeyValuePair<string, string>(p[0], p[1]))
            .ToList();
    }
}

using GradientNode.Core.Routing;
using GradientNode.Core.Status;
using GradientNode.Daemon.Configuration;

namespace GradientNode.Daemon.Api;

/// <summary>
/// The warnings of <c>get</c>, <c>ls</c> and <c>node</c> on deployment hosts that no certificate given to the node names
/// (<see cref="TlsNames"/>, from the proxy's <see cref="TlsNamesFile"/>): before, with a <c>--tls-dir</c> that named some
/// hosts only, the others showed an https endpoint whose clients got a certificate for another name, and nothing said so.
/// </summary>
internal static class TlsNameWarnings
{
    /// <summary>What the proxy serves, or null without an https listener or while no proxy said so.</summary>
    public static TlsNames? Read(NodeOptions options) =>
        options.Listen.Any(url => url.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) ? TlsNamesFile.Read(options.RunDir) : null;

    /// <summary><paramref name="status"/> with the warning on its host added when no given certificate names it.</summary>
    public static DeploymentStatus With(DeploymentStatus status, TlsNames? names, string domain) =>
        names?.WarningFor($"{status.Slug}.{domain}") is { } warning && !status.Warnings.Contains(warning)
            ? status with { Warnings = [.. status.Warnings, warning] }
            : status;

    /// <summary>The node's warning naming the deployment hosts no given certificate names, or null.</summary>
    public static string? ForNode(TlsNames? names, IEnumerable<string> slugs, string domain) =>
        names?.WarningForHosts(slugs.Select(slug => $"{slug}.{domain}"));
}

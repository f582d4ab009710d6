using GradientNode.Core.Specs;
using GradientNode.Core.Status;

namespace GradientNode.Daemon.Cli;

/// <summary>
/// <c>validate</c>'s, <c>apply</c>'s and <c>diff</c>'s warning for each Gradient field the node parses but does not act
/// on (<c>region</c>), the lines the status lists under <c>notActedOn</c>. Before, they were seen only in the status after
/// an apply, while a workflow's <c>defaults.clusterId</c> was said at validate. Secret references a node cannot resolve
/// (the other notActedOn lines) are <see cref="EphemeralSecretWarnings"/>'.
/// </summary>
internal static class NotActedOnWarnings
{
    public static IEnumerable<string> Of(DeploymentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return NotActedOn.For(spec, _ => true).Select(note => note.IndexOf(": ", StringComparison.Ordinal) is var colon and > 0
            ? $"warning: {note[..colon]}: accepted, not acted on: {note[(colon + 2)..]}"
            : $"warning: {note}");
    }
}

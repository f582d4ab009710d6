using GradientNode.Core.Specs.Parsing;

namespace GradientNode.Core.Workflows.Specs.Parsing;

/// <summary>
/// <c>with.path</c> of git-checkout@v1 and s3-download@v1: under <c>/outputs/NAME</c> of one of the job's volume or
/// dataset outputs (the output itself or a folder in it); without it, the job's only such output.
/// </summary>
internal static class ActionPathRule
{
    public static string? Resolve(MappingReader with, string action, IReadOnlyList<WorkflowJobOutputSpec> outputs)
    {
        var targets = outputs.Where(o => o.Kind is WorkflowValueKind.Volume or WorkflowValueKind.Dataset).ToList();
        var path = PlainValues.String(with, "path");
        if (path is not null)
        {
            var inside = targets.Any(t => path == t.MountPath || path.StartsWith(t.MountPath + "/", StringComparison.Ordinal));
            var clean = !path.Split('/').Any(part => part is "." or "..") && !path.Contains("//", StringComparison.Ordinal) && TextRules.Unsafe(path) is null;
            if (!inside || !clean)
            {
                var names = targets.Count == 0 ? "this job has none" : string.Join(", ", targets.Select(t => t.MountPath));
                with.Error("path", $"must be /outputs/NAME or a folder in it, NAME a volume or dataset output of this job ({names})");
                return null;
            }

            return path.TrimEnd('/');
        }

        if (with.Has("path"))
        {
            return null;
        }

        if (targets.Count == 1)
        {
            return targets[0].MountPath;
        }

        with.Reader.Error(with.Node, targets.Count == 0
            ? $"{with.Path}: {action} writes into a volume or dataset output; declare one in outputs"
            : $"{with.Path}: {action}: set path (/outputs/NAME), the job has several volume or dataset outputs ({string.Join(", ", targets.Select(t => t.Name))})");
        return null;
    }
}

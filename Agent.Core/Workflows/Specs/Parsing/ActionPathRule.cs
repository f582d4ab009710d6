using GradientNode.Core.Specs.Parsing;

namespace GradientNode.Core.Workflows.Specs.Parsing;

/// <summary>
/// <c>with.path</c> of git-checkout@v1 and s3-download@v1: under <c>/outputs/NAME</c> of one of the job's volume or
/// dataset outputs (the output itself or a folder in it); without it, the job's only such output. The action writes only
/// there, so a dataset output <c>path</c> does not point at is an error (its version would be committed empty).
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

            // The action writes under path only: another dataset output would be committed as an empty version.
            var unwritten = targets.Where(t => t.Kind == WorkflowValueKind.Dataset && path != t.MountPath && !path.StartsWith(t.MountPath + "/", StringComparison.Ordinal)).Select(t => t.Name).ToList();
            if (unwritten.Count > 0)
            {
                with.Error("path", $"{action} writes only under {path}, so dataset output{(unwritten.Count == 1 ? string.Empty : "s")} {string.Join(", ", unwritten)} would be committed as an empty version: point path at it, or take it out of outputs (a job writes one)");
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

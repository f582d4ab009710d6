using GradientNode.Core.Workflows.Specs;

namespace GradientNode.Daemon.Cli;

/// <summary>
/// <c>validate</c> for a workflow file (one with a top-level <c>jobs</c>): errors to stderr as
/// <c>file:line:col: message</c>; on success one ok line, then each field accepted but not acted on, and to stderr a
/// warning for each <c>secret:ephemeral:</c> reference (<see cref="EphemeralSecretWarnings"/>).
/// </summary>
internal static class WorkflowValidation
{
    /// <summary>True when the file is a valid workflow.</summary>
    public static bool Print(string file, string text, TextWriter output, TextWriter error)
    {
        var result = WorkflowParser.Parse(file, text);
        foreach (var problem in result.Errors)
        {
            error.WriteLine(problem.ToString());
        }

        if (!result.IsValid)
        {
            return false;
        }

        var spec = result.Spec!;
        var inputs = spec.Inputs.Count == 0 ? string.Empty : $", {spec.Inputs.Count} input(s)";
        output.WriteLine($"{file}: ok (workflow, {spec.Jobs.Count} job(s){(spec.Jobs.Count == 0 ? string.Empty : ": ")}{string.Join(", ", spec.Jobs.Select(j => j.Id))}{inputs})");
        foreach (var note in spec.NotActedOn)
        {
            output.WriteLine(note.Format(file));
        }

        foreach (var warning in EphemeralSecretWarnings.Of(spec))
        {
            error.WriteLine($"{file}: {warning}");
        }

        return true;
    }
}

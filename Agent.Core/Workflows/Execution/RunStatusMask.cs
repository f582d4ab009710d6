using GradientNode.Core.Secrets;
using GradientNode.Core.Workflows.Runs;

namespace GradientNode.Core.Workflows.Execution;

/// <summary>
/// A run's status as the API shows it: every string a job wrote or was given (string outputs and inputs, of the run and
/// of each job, and the messages) with the values of the run's secrets hidden as <see cref="LogMask.Hidden"/>, as its
/// logs are. A job that prints a secret into a string output hands the next job the value itself (the run keeps it,
/// under the state dir, 0700); <c>workflows get</c>, the API and the console never show it.
/// </summary>
public static class RunStatusMask
{
    public static WorkflowRunStatus Apply(WorkflowRunStatus status, LogMask mask)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(mask);
        if (mask.IsEmpty)
        {
            return status;
        }

        return status with
        {
            Message = Text(status.Message, mask),
            Inputs = Values(status.Inputs, mask),
            Outputs = Values(status.Outputs, mask),
            Jobs = status.Jobs.ToDictionary(
                kv => kv.Key,
                kv => kv.Value with
                {
                    Message = Text(kv.Value.Message, mask),
                    Inputs = Values(kv.Value.Inputs, mask),
                    Outputs = Values(kv.Value.Outputs, mask),
                },
                StringComparer.Ordinal),
        };
    }

    private static string? Text(string? text, LogMask mask) => text is null ? null : mask.Apply(text);

    private static Dictionary<string, RunValue> Values(IReadOnlyDictionary<string, RunValue> values, LogMask mask) =>
        values.ToDictionary(
            kv => kv.Key,
            kv => kv.Value with
            {
                Value = Text(kv.Value.Value, mask),
                With = kv.Value.With?.ToDictionary(w => w.Key, w => mask.Apply(w.Value), StringComparer.Ordinal),
            },
            StringComparer.Ordinal);
}

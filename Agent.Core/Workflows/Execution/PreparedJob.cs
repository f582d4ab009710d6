using GradientNode.Core.Engine;
using GradientNode.Core.Workflows.Runs;

namespace GradientNode.Core.Workflows.Execution;

/// <summary>A job's mounts ready on the host: the binds to give its container, its inputs as status shows them, and the dataset versions it writes.</summary>
public sealed record PreparedJob(
    IReadOnlyList<BindMount> Binds,
    IReadOnlyDictionary<string, RunValue> Inputs,
    IReadOnlyDictionary<string, DatasetWrite> Writes,
    string OutputsDir);

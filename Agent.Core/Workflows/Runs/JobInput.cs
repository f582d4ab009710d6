namespace GradientNode.Core.Workflows.Runs;

/// <summary>
/// Where an input comes from: an alias (<see cref="From"/> = <c>workflow.inputs.X</c> or <c>job.outputs.Y</c>) or an
/// inline object (<see cref="Type"/> with its <see cref="With"/>: dataset <c>ref</c>/<c>id</c>, string <c>value</c>).
/// </summary>
public sealed record JobInput
{
    public string? From { get; init; }

    /// <summary><c>dataset</c>, <c>string</c> or <c>volume</c>; null for an alias.</summary>
    public string? Type { get; init; }

    public IReadOnlyDictionary<string, string> With { get; init; } = new Dictionary<string, string>();

    public bool Optional { get; init; }
}

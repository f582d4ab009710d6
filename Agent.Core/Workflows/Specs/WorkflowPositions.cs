using GradientNode.Core.Specs;

namespace GradientNode.Core.Workflows.Specs;

/// <summary>
/// Where each scalar value of a workflow file was written, by its dotted path (<c>jobs.train.env.TOKEN</c>,
/// <c>defaults.env.TOKEN</c>, <c>jobs.train.inputs.data.with.ref</c>; a list's items by index,
/// <c>jobs.train.resources.container-registries[0]</c>), to head a problem found after parsing (a secret,
/// dataset or registry connection the node lacks at submit) with <c>file:line:col</c>. The text is read again, once,
/// by the shared <see cref="YamlPositions"/>; a failure then only loses the positions.
/// </summary>
public sealed class WorkflowPositions
{
    private readonly YamlPositions _scalars;

    private WorkflowPositions(YamlPositions scalars) => _scalars = scalars;

    /// <summary>The file's name as its messages name it.</summary>
    public string File => _scalars.File;

    public static WorkflowPositions Read(string file, string text) => new(YamlPositions.Read(file, text));

    /// <summary>The position of the scalar at <paramref name="path"/>; null when none was written there.</summary>
    public SpecPosition? Value(string path) => _scalars.At(path);

    /// <summary>The first of <paramref name="paths"/> that was written.</summary>
    public SpecPosition? FirstValue(params string[] paths) => paths.Select(Value).FirstOrDefault(p => p is not null);
}

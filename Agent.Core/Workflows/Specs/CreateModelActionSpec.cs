namespace GradientNode.Core.Workflows.Specs;

/// <summary>
/// <c>create-model@v1</c>: register the job's dataset input <c>model</c> as model <see cref="Name"/> of
/// <see cref="ModelType"/> (<c>Tensorflow</c>, <c>ONNX</c> or <c>Custom</c>) and write its id to the string output <c>model-id</c>.
/// </summary>
public sealed record CreateModelActionSpec(string Name, string ModelType) : WorkflowActionSpec
{
    public const string ModelInput = "model";
    public const string ModelIdOutput = "model-id";

    public static IReadOnlyList<string> ModelTypes { get; } = ["Tensorflow", "ONNX", "Custom"];

    public override WorkflowAction Action => WorkflowAction.CreateModel;
}

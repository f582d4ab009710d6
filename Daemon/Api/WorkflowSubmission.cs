using System.Text.Json;
using GradientNode.Core.Common;
using GradientNode.Core.Specs;
using GradientNode.Core.Workflows.Runs;
using GradientNode.Core.Workflows.Specs;
using GradientNode.Daemon.Configuration;

namespace GradientNode.Daemon.Api;

/// <summary>
/// A workflow file and its inputs as <c>POST /v1/workflows/NAME/runs</c> and <c>/check</c> receive them, read into the
/// plan a run would keep: the body's UTF-8 and shape, the file, the inputs, the plan; the first that fails is the answer
/// (400, every error at once). The check without inputs (<c>validate FILE</c>) plans with the file's defaults only: an
/// input the run must give is left out, not an error.
/// </summary>
internal sealed record WorkflowSubmission(RunPlan Plan, string SpecText, string? Inputs, IReadOnlyDictionary<string, SpecPosition>? InputPositions, WorkflowPositions File)
{
    public static async Task<(WorkflowSubmission? Submission, IResult? Refusal)> ReadAsync(string name, HttpRequest request, NodeOptions options, bool inputsOptional, CancellationToken cancellationToken)
    {
        var body = await BoundedBody.ReadTextAsync(request.Body, WorkflowEndpoints.MaxBodyBytes, cancellationToken);
        if (body is not null && Utf8Text.FindInvalid(body) is { } bad)
        {
            return (null, JsonResults.Error(StatusCodes.Status400BadRequest, $"the request body is not valid UTF-8: {bad.Problem} at line {bad.Line}, column {bad.Column}"));
        }

        WorkflowRunRequest? input = null;
        try
        {
            input = body is null ? null : JsonSerializer.Deserialize(body, ApiJsonContext.Default.WorkflowRunRequest);
        }
        catch (JsonException)
        {
            // Answered below.
        }

        if (input?.Spec is not { } specText)
        {
            return (null, JsonResults.Error(StatusCodes.Status400BadRequest, $"expected JSON {{\"spec\": YAML text, \"inputs\"?: JSON or YAML text, \"file\"?, \"inputsFile\"?: names for messages}} of at most {WorkflowEndpoints.MaxBodyBytes} bytes"));
        }

        var file = input.File ?? $"{name}.yaml";
        var parsed = WorkflowParser.Parse(file, specText, options.MachineTypes);
        if (!parsed.IsValid)
        {
            return (null, JsonResults.Error(StatusCodes.Status400BadRequest, $"{file}: not a valid workflow", [.. parsed.Errors.Select(e => e.ToString())]));
        }

        var spec = parsed.Spec!;
        if (inputsOptional && input.Inputs is null)
        {
            // Given at run time: a required input is not missing yet, and a job's use of it is checked then.
            spec = spec with { Inputs = new EquatableArray<WorkflowInputSpec>([.. spec.Inputs.Select(i => i.IsRequired ? i with { Optional = true } : i)]) };
        }

        var values = WorkflowInputsParser.Parse(spec, (file, specText), input.Inputs is null ? null : input.InputsFile ?? "inputs", input.Inputs);
        if (!values.IsValid)
        {
            return (null, JsonResults.Error(StatusCodes.Status400BadRequest, $"workflow '{name}' cannot run with these inputs", [.. values.Errors.Select(e => e.ToString())]));
        }

        var (plan, planErrors) = RunPlanBuilder.Build(name, spec, values.Values!);
        return plan is null
            ? (null, JsonResults.Error(StatusCodes.Status400BadRequest, $"workflow '{name}' cannot run", planErrors))
            : (new WorkflowSubmission(plan, specText, input.Inputs, values.Positions, WorkflowPositions.Read(file, specText)), null);
    }
}

using GradientNode.Core.Common;
using GradientNode.Core.Specs;
using GradientNode.Core.Workflows.Specs;

namespace GradientNode.Core.Workflows.Runs;

/// <summary>
/// Turns a validated <see cref="WorkflowSpec"/> and the run's input values (<see cref="WorkflowInputsParser"/>:
/// given ones, else the file's defaults, already checked) into the <see cref="RunPlan"/> the run keeps. Secret
/// references stay references.
/// </summary>
public static class RunPlanBuilder
{
    public static (RunPlan? Plan, List<string> Errors) Build(string workflow, WorkflowSpec spec, IEnumerable<WorkflowInputValue> values)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(values);
        var errors = new List<string>();
        if (WorkflowNameRule.Check(workflow) is { } bad)
        {
            errors.Add($"name: {bad}");
        }

        var inputs = new Dictionary<string, JobInput>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            inputs[value.Name] = value.Kind switch
            {
                WorkflowValueKind.Dataset => new JobInput { Type = "dataset", With = Params(("ref", value.DatasetRef)) },
                WorkflowValueKind.String => new JobInput { Type = "string", With = Params(("value", value.Value)) },
                _ => new JobInput { Type = "volume" },
            };
        }

        foreach (var input in spec.Inputs.Where(i => i.Kind == WorkflowValueKind.Volume && !inputs.ContainsKey(i.Name)))
        {
            inputs[input.Name] = new JobInput { Type = "volume", Optional = input.Optional };
        }

        var plan = new RunPlan
        {
            Workflow = workflow,
            Jobs = spec.Jobs.Select(job => Job(job, spec.Defaults.Env)).ToList(),
            TimeoutSeconds = Seconds(spec.Timeout),
            Inputs = inputs,
        };
        return errors.Count == 0 ? (plan, errors) : (null, errors);
    }

    private static JobPlan Job(WorkflowJobSpec job, EquatableArray<EnvVarSpec> defaults)
    {
        var plan = new JobPlan
        {
            Id = job.Id,
            Action = job.Uses,
            Needs = [.. job.Needs],
            Env = job.Env.ToDictionary(e => e.Name, e => e.Value.ToString(), StringComparer.Ordinal),
            EnvFromDefaults = [.. job.Env.Where(defaults.Contains).Select(e => e.Name)],
            Inputs = job.Inputs.ToDictionary(i => i.Name, Input, StringComparer.Ordinal),
            Outputs = job.Outputs.ToDictionary(o => o.Name, o => new JobOutput(Kind(o.Kind), o.DatasetRef), StringComparer.Ordinal),
            TimeoutSeconds = Seconds(job.Timeout),
            InstanceType = job.Resources.InstanceType,
            Registries = [.. job.Resources.ContainerRegistries],
        };
        return job.With switch
        {
            ContainerActionSpec c => plan with { Image = c.Image, Command = c.Command is { } command ? [.. command] : null, Args = [.. c.Args] },
            ScriptActionSpec s => plan with { Image = s.Image, Script = s.Script },
            GitCheckoutActionSpec g => plan with { With = Params(("url", g.Url), ("ref", g.Ref), ("username", g.Username?.ToString()), ("password", g.Password?.ToString()), ("path", g.Path)) },
            S3DownloadActionSpec s3 => plan with { With = Params(("url", s3.Url), ("access-key", s3.AccessKey.ToString()), ("secret-access-key", s3.SecretAccessKey.ToString()), ("region", s3.Region), ("endpoint", s3.Endpoint), ("path", s3.Path)) },
            CreateModelActionSpec m => plan with { With = Params(("name", m.Name), ("type", m.ModelType)) },
            _ => plan,
        };
    }

    private static JobInput Input(WorkflowJobInputSpec input) => input.Source.Kind switch
    {
        WorkflowInputSourceKind.Inline when input.Source.Inline is { } inline => (Default(inline) ?? new JobInput { Type = Kind(inline.Kind) }) with { Optional = input.Optional },
        _ => new JobInput { From = input.Source.ToString(), Optional = input.Optional },
    };

    private static JobInput? Default(WorkflowInputSpec input) => input.Kind switch
    {
        WorkflowValueKind.Dataset when input.DatasetRef is { } reference => new JobInput { Type = "dataset", With = Params(("ref", reference)), Optional = input.Optional },
        WorkflowValueKind.String when input.Value is { } value => new JobInput { Type = "string", With = Params(("value", value)), Optional = input.Optional },
        WorkflowValueKind.Volume => new JobInput { Type = "volume", Optional = input.Optional },
        _ => null,
    };

    private static string Kind(WorkflowValueKind kind) => kind switch
    {
        WorkflowValueKind.Dataset => "dataset",
        WorkflowValueKind.String => "string",
        _ => "volume",
    };

    private static int? Seconds(TimeSpan? timeout) => timeout is { } t ? (int)Math.Ceiling(t.TotalSeconds) : null;

    private static Dictionary<string, string> Params(params (string Key, string? Value)[] pairs) =>
        pairs.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value!, StringComparer.Ordinal);
}

using GradientNode.Core.Common;
using GradientNode.Core.Specs;
using GradientNode.Core.Specs.Parsing;

namespace GradientNode.Core.Workflows.Specs.Parsing;

/// <summary>
/// Checks what spans jobs and builds the resolved spec: needs name existing jobs and form no cycle, output names
/// are unique in the workflow, every alias resolves (to a workflow input, or to an output of a job in
/// <c>needs</c>), create-model@v1's input and output exist; then jobs in topological order with effective env
/// and resources.
/// </summary>
internal static class WorkflowResolver
{
    public static EquatableArray<WorkflowJobSpec>? Resolve(SpecReader reader, IReadOnlyList<JobDraft> drafts, IReadOnlyList<WorkflowInputSpec> inputs, WorkflowDefaultsSpec defaults)
    {
        var errors = reader.ErrorCount;
        var byId = drafts.ToDictionary(d => d.Id, StringComparer.Ordinal);
        var needs = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var draft in drafts)
        {
            foreach (var (job, node, path) in draft.Needs.Where(n => !byId.ContainsKey(n.Job)))
            {
                reader.Error(node, $"{path}: unknown job '{ValueReader.Shorten(job)}'; jobs: {string.Join(", ", byId.Keys)}");
            }

            needs[draft.Id] = [.. draft.Needs.Select(n => n.Job).Where(byId.ContainsKey)];
        }

        foreach (var cycle in NeedsGraph.Cycles([.. byId.Keys], needs))
        {
            var first = byId[cycle[0]];
            var need = first.Needs.First(n => n.Job == cycle[1]);
            reader.Error(need.Node, $"{need.Field}: cycle: {string.Join(" -> ", cycle)}");
        }

        CheckOutputNames(reader, drafts);
        var resolvedInputs = drafts.ToDictionary(d => d.Id, d => ResolveInputs(reader, d, byId, inputs), StringComparer.Ordinal);
        foreach (var draft in drafts.Where(d => d.Action == WorkflowAction.CreateModel))
        {
            CheckCreateModel(reader, draft, resolvedInputs[draft.Id]);
        }

        var order = NeedsGraph.Order([.. byId.Keys], needs);
        if (reader.ErrorCount != errors || order is null || drafts.Any(d => d.With is null || d.Env is null))
        {
            return null;
        }

        var jobs = order.Select(id => Build(byId[id], resolvedInputs[id], defaults)).ToList();
        foreach (var job in jobs)
        {
            CheckArgumentSpace(reader, byId[job.Id], job);
        }

        return new EquatableArray<WorkflowJobSpec>(jobs);
    }

    /// <summary>
    /// A container job whose literal env (<c>defaults.env</c> and its own) and <c>command</c>/<c>args</c> already take more
    /// than Linux starts a process with (<see cref="ArgumentSpace"/>), an error at the job; a secret's value is counted when
    /// the run is submitted (<c>RunArgumentCheck</c>). Before (workflows17), it validated and the job ended FAILED with
    /// <c>argument list too long</c>.
    /// </summary>
    private static void CheckArgumentSpace(SpecReader reader, JobDraft draft, WorkflowJobSpec job)
    {
        if (job.With is not (ContainerActionSpec or ScriptActionSpec))
        {
            return; // the node's own actions start no process with the job's env
        }

        var container = job.With as ContainerActionSpec;
        var fields = ArgumentSpace.Fields(job.Env.Select(e => (e.Name, e.Value.Literal, e.Value.Secret is { } secret ? $"secret '{secret.Name}'" : null)), container?.Command, container?.Args);
        if (ArgumentSpace.Problem(fields) is { } problem)
        {
            reader.Error(draft.Node, $"{draft.Field}: {problem}");
        }
    }

    private static void CheckOutputNames(SpecReader reader, IReadOnlyList<JobDraft> drafts)
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var draft in drafts)
        {
            foreach (var (output, key) in draft.Outputs)
            {
                if (!owners.TryAdd(output.Name, draft.Id))
                {
                    reader.Error(key, $"{draft.Field}.outputs.{output.Name}: output name '{output.Name}' is already used by jobs.{owners[output.Name]}; output names must be unique in a workflow (the run's status lists outputs by name)");
                }
            }
        }
    }

    private static List<WorkflowJobInputSpec> ResolveInputs(SpecReader reader, JobDraft draft, Dictionary<string, JobDraft> byId, IReadOnlyList<WorkflowInputSpec> inputs)
    {
        var resolved = new List<WorkflowJobInputSpec>();
        foreach (var input in draft.Inputs)
        {
            if (input.Inline is { } inline)
            {
                resolved.Add(new WorkflowJobInputSpec(input.Name, inline.Kind, WorkflowInputSource.FromInline(inline), inline.Optional));
                continue;
            }

            var alias = input.Alias!;
            var parts = alias.Split('.');
            string? problem;
            if (ReferenceLookalike.Of(alias) is { } meant && meant != alias)
            {
                // ${{ job-1.outputs.foo }}, needs.job-1.outputs.foo: said in this node's words rather than as an unknown job '${{ job-1'.
                problem = $"write {meant}: an alias is written as workflow.inputs.NAME or JOB.outputs.NAME, with no ${{{{ }}}} expression or needs./jobs. prefix";
            }
            else if (parts is ["workflow", "inputs", var name] && name.Length > 0)
            {
                var source = inputs.FirstOrDefault(i => i.Name == name);
                problem = source is null
                    ? $"unknown workflow input '{ValueReader.Shorten(name)}'; {(inputs.Count == 0 ? "the workflow has no inputs" : $"workflow inputs: {string.Join(", ", inputs.Select(i => i.Name))}")}"
                    : null;
                if (source is not null)
                {
                    resolved.Add(new WorkflowJobInputSpec(input.Name, source.Kind, WorkflowInputSource.FromWorkflowInput(name), source.Optional));
                }
            }
            else if (parts is [var job, "outputs", var output] && job.Length > 0 && output.Length > 0)
            {
                problem = JobOutput(draft, byId, job, output, out var kind);
                if (problem is null)
                {
                    resolved.Add(new WorkflowJobInputSpec(input.Name, kind, WorkflowInputSource.FromJobOutput(job, output), false));
                }
            }
            else
            {
                problem = "must be workflow.inputs.NAME, JOB.outputs.NAME or an inline {type, with} mapping" + CloseAlias(parts);
            }

            if (problem is not null)
            {
                reader.Error(input.Node, $"{input.Field}: {problem}");
            }
        }

        return resolved;
    }

    /// <summary>
    /// <c>; did you mean workflow.inputs.data?</c> for <c>workflow.input.data</c> or <c>workflows.inputs.data</c>, and
    /// <c>; did you mean prep.outputs.x?</c> for <c>prep.output.x</c>: an alias one typo away from the form (before, only
    /// the form was named).
    /// </summary>
    private static string CloseAlias(string[] parts)
    {
        if (parts is not [var first, var middle, var last] || first.Length == 0 || last.Length == 0)
        {
            return string.Empty;
        }

        if (KeySuggester.Suggest(first, ["workflow"]) is not null && KeySuggester.Suggest(middle, ["inputs"]) is not null)
        {
            return $"; did you mean workflow.inputs.{ValueReader.Shorten(last)}?";
        }

        return KeySuggester.Suggest(middle, ["outputs"]) is not null ? $"; did you mean {ValueReader.Shorten(first)}.outputs.{ValueReader.Shorten(last)}?" : string.Empty;
    }

    private static string? JobOutput(JobDraft draft, Dictionary<string, JobDraft> byId, string job, string output, out WorkflowValueKind kind)
    {
        kind = default;
        if (job == draft.Id)
        {
            return "a job cannot take its own outputs as inputs";
        }

        if (!byId.TryGetValue(job, out var source))
        {
            return $"unknown job '{ValueReader.Shorten(job)}'; jobs: {string.Join(", ", byId.Keys)}";
        }

        var match = source.Outputs.FirstOrDefault(o => o.Output.Name == output).Output;
        if (match is null)
        {
            var names = source.Outputs.Count == 0 ? "it has none" : $"its outputs: {string.Join(", ", source.Outputs.Select(o => o.Output.Name))}";
            return $"job '{job}' has no output '{ValueReader.Shorten(output)}' ({names})";
        }

        kind = match.Kind;
        return draft.Needs.Any(n => n.Job == job)
            ? null
            : $"{job}.outputs.{output} is an output of job '{job}', which is not in {draft.Field}.needs; add it there";
    }

    private static void CheckCreateModel(SpecReader reader, JobDraft draft, List<WorkflowJobInputSpec> inputs)
    {
        if (!draft.Inputs.Any(i => i.Name == CreateModelActionSpec.ModelInput))
        {
            reader.Error(draft.Node, $"{draft.Field}: create-model@v1 needs a dataset input named '{CreateModelActionSpec.ModelInput}' (the model's files)");
        }
        else if (inputs.FirstOrDefault(i => i.Name == CreateModelActionSpec.ModelInput) is { Kind: not WorkflowValueKind.Dataset } wrong)
        {
            // Named as such: "needs a dataset input named 'model'" read as if the input were missing.
            reader.Error(draft.Node, $"{draft.Field}.inputs.{CreateModelActionSpec.ModelInput}: create-model@v1 needs a dataset here (the model's files), but this input is a {wrong.Kind.ToString().ToLowerInvariant()}");
        }

        if (draft.Outputs.FirstOrDefault(o => o.Output.Name == CreateModelActionSpec.ModelIdOutput).Output is not { Kind: WorkflowValueKind.String })
        {
            reader.Error(draft.Node, $"{draft.Field}: create-model@v1 needs a string output named '{CreateModelActionSpec.ModelIdOutput}' (it receives the model's id)");
        }
    }

    private static WorkflowJobSpec Build(JobDraft draft, List<WorkflowJobInputSpec> inputs, WorkflowDefaultsSpec defaults)
    {
        var env = new List<EnvVarSpec>(defaults.Env);
        foreach (var variable in draft.Env!.Value)
        {
            var at = env.FindIndex(e => e.Name == variable.Name);
            if (at >= 0)
            {
                env[at] = variable;
            }
            else
            {
                env.Add(variable);
            }
        }

        var resources = new WorkflowJobResources(
            draft.Resources?.InstanceType ?? defaults.Resources?.InstanceType ?? WorkflowJobResources.DefaultInstanceType,
            draft.Resources?.ContainerRegistries ?? defaults.Resources?.ContainerRegistries ?? EquatableArray<string>.Empty);
        return new WorkflowJobSpec(
            draft.Id,
            draft.With!,
            new EquatableArray<string>(draft.Needs.Select(n => n.Job)),
            new EquatableArray<WorkflowJobInputSpec>(inputs),
            new EquatableArray<WorkflowJobOutputSpec>(draft.Outputs.Select(o => o.Output)),
            new EquatableArray<EnvVarSpec>(env),
            resources,
            draft.Timeout);
    }
}

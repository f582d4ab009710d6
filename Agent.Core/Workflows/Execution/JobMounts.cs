using System.Text;
using GradientNode.Core.Common;
using GradientNode.Core.Engine;
using GradientNode.Core.Specs;
using GradientNode.Core.Workflows.Runs;

namespace GradientNode.Core.Workflows.Execution;

/// <summary>
/// Lays out a job's files (§9.3): inputs read-only under <c>/inputs/NAME</c> (a dataset version's folder, a volume,
/// or a string as a file), outputs writable under <c>/outputs/NAME</c> (a dataset's staging folder, the run's volume
/// folder, or a string file the job writes). Host side: <c>jobs/JOB/inputs</c> and <c>jobs/JOB/outputs</c> in the run's folder.
/// </summary>
public sealed class JobMounts(WorkflowRunStore store, IWorkflowDatasets datasets)
{
    public const string InputsRoot = "/inputs";
    public const string OutputsRoot = "/outputs";

    /// <summary>
    /// The workflow's inputs for this run, datasets resolved to the version current when the run starts and held for
    /// the run (<see cref="RunDatasetHolds"/>) until <see cref="ReleaseAsync"/>.
    /// </summary>
    public async Task<Dictionary<string, RunValue>> ResolveRunInputsAsync(RunRecord run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var values = new Dictionary<string, RunValue>(StringComparer.Ordinal);
        foreach (var (name, input) in run.Plan.Inputs)
        {
            values[name] = await ResolveInlineAsync(run, $"inputs.{name}", input, cancellationToken).ConfigureAwait(false);
        }

        return values;
    }

    /// <summary>
    /// Why the plan's workflow inputs cannot run now, one line per dataset input that does not resolve (a dataset, version
    /// or tag that does not exist), as the run's start would say it (<c>inputs.NAME: dataset 'x' has no version or tag
    /// 'v9'; …</c>); empty when all resolve. Holds nothing: the run resolves them again when it starts, and a version
    /// removed in between still ends the run ERROR with the same words. A line is headed <c>file:line:col:</c> where
    /// <paramref name="positions"/> says where the input's reference was written (the inputs file, or the workflow
    /// file's <c>with.ref</c>), as the spec's other errors are.
    /// </summary>
    public async Task<IReadOnlyList<string>> CheckRunInputsAsync(RunPlan plan, IReadOnlyDictionary<string, SpecPosition>? positions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var problems = new List<string>();
        foreach (var (name, input) in plan.Inputs.Where(i => i.Value.Type == "dataset"))
        {
            if (Reference(input) is { } reference
                && await datasets.CheckAsync(reference, cancellationToken).ConfigureAwait(false) is { } problem)
            {
                var line = $"inputs.{name}: {problem}";
                problems.Add(positions?.GetValueOrDefault(name) is { } at ? at.Error(line).ToString() : line);
            }
        }

        return problems;
    }

    /// <summary>The dataset outputs named like a stored dataset in another case (<see cref="DatasetOutputCase"/>).</summary>
    public IReadOnlyList<string> OutputCaseWarnings(RunPlan plan, Func<string, SpecPosition?>? at) => DatasetOutputCase.Warnings(plan, datasets, at);

    /// <summary>
    /// The jobs' inline dataset inputs (<c>inputs: {NAME: {type: dataset, with: {ref: X}}}</c>), resolved when the run starts,
    /// as its workflow inputs are, to the version current then and held for the run; keyed <c>JOB/NAME</c>
    /// (<see cref="RunRecord.PinnedInputs"/>). The job mounts that version when it is prepared, whatever a job of the run
    /// committed to the dataset meanwhile (a job reads another's output through an alias input).
    /// </summary>
    public async Task<Dictionary<string, RunValue>> ResolveJobInputsAsync(RunRecord run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var values = new Dictionary<string, RunValue>(StringComparer.Ordinal);
        foreach (var (job, name, input) in InlineDatasets(run.Plan))
        {
            values[$"{job}/{name}"] = await ResolveInlineAsync(run, $"jobs.{job}.inputs.{name}", input, cancellationToken).ConfigureAwait(false);
        }

        return values;
    }

    /// <summary>
    /// Why the jobs' inline dataset inputs cannot resolve now (<see cref="CheckRunInputsAsync"/>'s words, <c>jobs.JOB.inputs.NAME: …</c>),
    /// each headed by where <paramref name="at"/> says its <c>with.ref</c> (or <c>with.id</c>) was written. A dataset that
    /// does not exist yet but a job of the run writes adds how to read that job's output. Holds nothing.
    /// </summary>
    public async Task<IReadOnlyList<string>> CheckJobInputsAsync(RunPlan plan, Func<string, SpecPosition?>? at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var problems = new List<string>();
        foreach (var (job, name, input) in InlineDatasets(plan))
        {
            if (Reference(input) is not { } reference || await datasets.CheckAsync(reference, cancellationToken).ConfigureAwait(false) is not { } problem)
            {
                continue;
            }

            var dataset = reference.Split(':', 2)[0];
            var writer = plan.Jobs.SelectMany(j => j.Outputs.Where(o => o.Value.Type == "dataset" && o.Value.Dataset == dataset).Select(o => $"{j.Id}.outputs.{o.Key}")).FirstOrDefault();
            var hint = writer is null ? string.Empty
                : $"; an inline input reads the version current when the run is submitted, never one this run writes: to read {writer}, take it as an alias input, inputs: {{{name}: {writer}}} (with {writer.Split('.')[0]} in needs)";
            var line = $"jobs.{job}.inputs.{name}: {problem}{hint}";
            var path = $"jobs.{job}.inputs.{name}.with";
            problems.Add((at?.Invoke($"{path}.ref") ?? at?.Invoke($"{path}.id")) is { } p ? p.Error(line).ToString() : line);
        }

        return problems;
    }

    private static IEnumerable<(string Job, string Name, JobInput Input)> InlineDatasets(RunPlan plan) =>
        plan.Jobs.SelectMany(j => j.Inputs.Where(i => i.Value.From is null && i.Value.Type == "dataset").Select(i => (j.Id, i.Key, i.Value)));

    private static string? Reference(JobInput input) => input.With.GetValueOrDefault("ref") ?? input.With.GetValueOrDefault("id");

    /// <summary>The run ended (however it ended): it lets go of every dataset version it held.</summary>
    public Task ReleaseAsync(RunRecord run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        return datasets.ReleaseAsync(RunDatasetHolds.Holder(run), cancellationToken);
    }

    /// <summary>
    /// The run ended: removes each dataset one of its dataset outputs created that got no version (its job failed, was
    /// canceled or never wrote) and nothing else uses; returns their names. A dataset that existed before the run stays.
    /// </summary>
    public async Task<IReadOnlyList<string>> RemoveUnusedDatasetsAsync(RunRecord run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var removed = new List<string>();
        foreach (var name in run.Plan.Jobs.SelectMany(j => j.Outputs.Values).Where(o => o.Type == "dataset").Select(o => o.Dataset).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            if (await datasets.RemoveIfUnusedAsync(name, RunDatasetHolds.Holder(run), cancellationToken).ConfigureAwait(false))
            {
                removed.Add(name);
            }
        }

        return removed;
    }

    /// <summary>Makes the job's folders and its volume outputs (afresh), resolves its inputs, opens its dataset writes.</summary>
    public async Task<PreparedJob> PrepareAsync(RunRecord run, JobPlan job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(job);
        var jobDir = store.JobDir(run.Status.Workflow, run.Status.Run, job.Id);
        if (Directory.Exists(jobDir))
        {
            RawTree.Delete(jobDir); // a job may leave a tree deeper than .NET can delete
        }

        var inputsDir = Directory.CreateDirectory(Path.Combine(jobDir, "inputs")).FullName;
        var outputsDir = AnyUserWritable(Directory.CreateDirectory(Path.Combine(jobDir, "outputs")).FullName);
        var binds = new List<BindMount>();
        var inputs = new Dictionary<string, RunValue>(StringComparer.Ordinal);
        foreach (var (name, input) in job.Inputs)
        {
            var field = $"jobs.{job.Id}.inputs.{name}";
            var (value, volumeDir) = run.PinnedInputs.TryGetValue($"{job.Id}/{name}", out var pinned) && input.From is null
                ? (pinned, null)
                : await ResolveJobInputAsync(run, field, input, cancellationToken).ConfigureAwait(false);
            if (value is null)
            {
                continue;
            }

            inputs[name] = value;
            var hostPath = Path.Combine(inputsDir, name);
            if (value.Type == "string")
            {
                await File.WriteAllTextAsync(hostPath, value.Value ?? string.Empty, new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
                continue;
            }

            var source = volumeDir
                ?? (value.Dataset is { } dataset ? await PinnedContentAsync(run, field, dataset.Id, cancellationToken).ConfigureAwait(false) : null)
                ?? Directory.CreateDirectory(VolumeDir(run, "_workflow", name)).FullName;
            Directory.CreateDirectory(hostPath);
            binds.Add(new BindMount(source, $"{InputsRoot}/{name}", ReadOnly: true));
        }

        binds.Insert(0, new BindMount(inputsDir, InputsRoot, ReadOnly: true));
        binds.Insert(1, new BindMount(outputsDir, OutputsRoot, ReadOnly: false));
        binds.AddRange(await JobScriptFile.BindsAsync(jobDir, job, cancellationToken).ConfigureAwait(false));
        var writes = new Dictionary<string, DatasetWrite>(StringComparer.Ordinal);
        foreach (var (name, output) in job.Outputs)
        {
            string? source = output.Type switch
            {
                "volume" => AnyUserWritable(EmptyFolder(VolumeDir(run, job.Id, name))),
                "dataset" => AnyUserWritable((writes[name] = await datasets.BeginWriteAsync(output.Dataset!, output.Message ?? $"{run.Status.Workflow} run {run.Status.Run}, job {job.Id}", RunDatasetHolds.Holder(run), cancellationToken).ConfigureAwait(false)).StagingPath),
                _ => null,
            };
            if (source is not null)
            {
                Directory.CreateDirectory(Path.Combine(outputsDir, name));
                binds.Add(new BindMount(source, $"{OutputsRoot}/{name}", ReadOnly: false));
            }
        }

        return new PreparedJob(binds, inputs, writes, outputsDir);
    }

    /// <summary>
    /// An output folder the job's container writes as whatever user its image runs as (many run as a user other than
    /// root, as <c>USER 1000</c>): 0777. Only the container reaches it: the run store's root and the dataset store's
    /// are 0700, and a dataset output's content is sealed (folders 0755, files 0444) when it is committed.
    /// </summary>
    private static string AnyUserWritable(string path)
    {
        File.SetUnixFileMode(path, (UnixFileMode)0b111_111_111);
        return path;
    }

    /// <summary>A job's own volume output starts empty, also when the job runs again after a restart cut it.</summary>
    private static string EmptyFolder(string path)
    {
        if (Directory.Exists(path))
        {
            RawTree.Delete(path); // a job may leave a tree deeper than .NET can delete
        }

        return Directory.CreateDirectory(path).FullName;
    }

    public string JobDir(RunRecord run, string job)
    {
        ArgumentNullException.ThrowIfNull(run);
        return store.JobDir(run.Status.Workflow, run.Status.Run, job);
    }

    /// <summary>The host folder of a volume output; it lives until the run ends.</summary>
    public string VolumeDir(RunRecord run, string job, string output)
    {
        ArgumentNullException.ThrowIfNull(run);
        return Path.Combine(store.RunDir(run.Status.Workflow, run.Status.Run), "volumes", job, output);
    }

    private async Task<(RunValue? Value, string? VolumeDir)> ResolveJobInputAsync(RunRecord run, string field, JobInput input, CancellationToken cancellationToken)
    {
        if (input.From is not { } from)
        {
            return (await ResolveInlineAsync(run, field, input, cancellationToken).ConfigureAwait(false), null);
        }

        var parts = from.Split('.');
        if (parts is ["workflow", "inputs", var name])
        {
            return run.Status.Inputs.TryGetValue(name, out var value) ? (value, null)
                : input.Optional ? (null, null)
                : throw new JobFailedException(WorkflowPhase.Error, $"{field}: {from} was not given for this run");
        }

        if (parts is [var job, "outputs", var output] && run.Status.Jobs.TryGetValue(job, out var status) && status.Outputs.TryGetValue(output, out var produced))
        {
            return (produced, produced.Type == "volume" ? VolumeDir(run, job, output) : null);
        }

        return input.Optional ? (null, null) : throw new JobFailedException(WorkflowPhase.Error, $"{field}: {from} has no value (its job did not produce it)");
    }

    /// <summary>
    /// The folder of the version an input was resolved to (at the run's start, or by the job that wrote it), which the
    /// run holds; it can still be gone when removed outside the node (its folder deleted by hand).
    /// </summary>
    private async Task<string> PinnedContentAsync(RunRecord run, string field, string id, CancellationToken cancellationToken)
    {
        try
        {
            return (await datasets.ResolveAsync(id, RunDatasetHolds.Holder(run), cancellationToken).ConfigureAwait(false)).ContentPath;
        }
        catch (WorkflowDatasetException ex)
        {
            throw new JobFailedException(WorkflowPhase.Error, $"{field}: {id}, the version this run resolved it to, is gone ({ex.Message}); run the workflow again to use the current version");
        }
    }

    private async Task<RunValue> ResolveInlineAsync(RunRecord run, string field, JobInput input, CancellationToken cancellationToken)
    {
        switch (input.Type)
        {
            case "dataset":
                var reference = input.With.GetValueOrDefault("ref") ?? input.With.GetValueOrDefault("id")
                    ?? throw new JobFailedException(WorkflowPhase.Error, $"{field}.with: a dataset input needs 'ref' (or 'id')");
                try
                {
                    var resolved = await datasets.ResolveAsync(reference, RunDatasetHolds.Holder(run), cancellationToken).ConfigureAwait(false);
                    return new RunValue { Type = "dataset", With = input.With, Dataset = new DatasetValue(resolved.Id) };
                }
                catch (WorkflowDatasetException ex)
                {
                    throw new JobFailedException(WorkflowPhase.Error, $"{field}: {ex.Message}");
                }

            case "string":
                return new RunValue { Type = "string", Value = input.With.GetValueOrDefault("value") ?? throw new JobFailedException(WorkflowPhase.Error, $"{field}.with.value: a string input needs a value") };
            default:
                return new RunValue { Type = input.Type ?? "volume" };
        }
    }
}

using GradientNode.Core.Common;
using GradientNode.Core.Integrations;
using GradientNode.Core.Workflows.Runs;
using GradientNode.Core.Workflows.Specs;

namespace GradientNode.Core.Workflows.Execution;

/// <summary>
/// The actions the node does itself, without a container: <c>git-checkout@v1</c> and <c>s3-download@v1</c> fetch
/// straight into the job's output (the repository's content lands in <c>/outputs/NAME</c>, not in a subfolder,
/// §9.2) with the deployments' fetchers; <c>create-model@v1</c> copies its dataset input into the node's model
/// store as the next version (as <c>models add</c> does) and writes <c>NAME:VERSION</c> to its string output. All three
/// may be re-run from a clean output after a daemon restart; create-model then reuses the version it already committed.
/// </summary>
public sealed class DaemonActions(IReadOnlyList<IIntegrationFetcher> fetchers, VersionedStore models, TimeProvider time)
{
    public Task RunAsync(RunRecord run, JobPlan job, PreparedJob prepared, JobSecrets secrets, CancellationToken cancellationToken) =>
        RunAsync(run, job, prepared, secrets, static _ => { }, cancellationToken);

    /// <summary>Runs the action; <paramref name="recordModel"/> saves <c>NAME:VERSION</c> in the run's record just before create-model commits it.</summary>
    public async Task RunAsync(RunRecord run, JobPlan job, PreparedJob prepared, JobSecrets secrets, Action<string> recordModel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentNullException.ThrowIfNull(secrets);
        string With(string key) => job.With.TryGetValue(key, out var v) ? secrets.Resolve($"jobs.{job.Id}.with.{key}", v) : null!;
        switch (job.Action)
        {
            case WorkflowActions.GitCheckout:
                var git = new GitSource(Required(job, "url"), Optional(job, "ref"), job.With.ContainsKey("username") ? With("username") : null, job.With.ContainsKey("password") ? With("password") : null)
                {
                    Fields = new("with.username", "with.password", CredentialFields.SecretOf(job.With.GetValueOrDefault("username")), CredentialFields.SecretOf(job.With.GetValueOrDefault("password"))),
                };
                await FetchAsync(git, Target(job, prepared), cancellationToken).ConfigureAwait(false);
                break;
            case WorkflowActions.S3Download:
                if (!job.With.TryGetValue("secret-access-key", out var key) || !JobSecrets.IsReference(key))
                {
                    throw new JobFailedException(WorkflowPhase.Error, $"jobs.{job.Id}.with.secret-access-key: must be a secret reference (secret:NAME)");
                }

                var (bucket, prefix) = S3Source.ParseUrl(Required(job, "url"));
                var s3 = new S3Source(bucket, prefix, Optional(job, "region"), Optional(job, "endpoint"), secrets.Resolve($"jobs.{job.Id}.with.access-key", Required(job, "access-key")), With("secret-access-key"))
                {
                    Fields = new("with.access-key", "with.secret-access-key", CredentialFields.SecretOf(job.With.GetValueOrDefault("access-key")), CredentialFields.SecretOf(key)),
                };
                await FetchAsync(s3, Target(job, prepared), cancellationToken).ConfigureAwait(false);
                break;
            case WorkflowActions.CreateModel:
                await CreateModelAsync(run, job, prepared, recordModel, cancellationToken).ConfigureAwait(false);
                break;
            default:
                throw new JobFailedException(WorkflowPhase.Error, $"jobs.{job.Id}.uses: '{job.Action}' is not an action the node runs itself");
        }
    }

    private async Task CreateModelAsync(RunRecord run, JobPlan job, PreparedJob prepared, Action<string> recordModel, CancellationToken cancellationToken)
    {
        var input = prepared.Inputs.FirstOrDefault(i => i.Value.Dataset is not null);
        if (input.Value?.Dataset is not { } dataset)
        {
            throw new JobFailedException(WorkflowPhase.Error, $"jobs.{job.Id}.inputs: create-model@v1 needs a dataset input (e.g. model: {{type: dataset, with: {{ref: NAME}}}})");
        }

        var output = job.Outputs.FirstOrDefault(o => o.Value.Type == "string").Key
            ?? throw new JobFailedException(WorkflowPhase.Error, $"jobs.{job.Id}.outputs: create-model@v1 needs a string output for the model's id (e.g. model-id: {{type: string}})");
        var name = Optional(job, "name") ?? run.Status.Workflow;
        if (VersionedStore.CheckName(name) is { } problem)
        {
            throw new JobFailedException(WorkflowPhase.Error, $"jobs.{job.Id}.with.name: {problem}");
        }

        var content = prepared.Binds.First(b => b.Target == $"{JobMounts.InputsRoot}/{input.Key}").Source;
        // Once only, across a daemon restart: the number is recorded before the rename that commits it, and the copy
        // goes through a temporary folder named by the job, which exists exactly while that rename has not happened.
        var key = $"wf-{run.Status.Workflow}-{run.Status.Run}-{job.Id}";
        var committed = run.ModelVersions.TryGetValue(job.Id, out var recorded) && recorded.StartsWith(name + ":", StringComparison.Ordinal)
            && !models.HasPartial(name, key) && models.Resolve(recorded) is not null;
        var version = committed ? recorded![(name.Length + 1)..]
            : await models.AddOnceAsync(name, key, (temp, ct) => CopyTreeAsync(content, temp, ct), v => recordModel($"{name}:{v}"), cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(prepared.OutputsDir, output), $"{name}:{version}", cancellationToken).ConfigureAwait(false);
    }

    private async Task FetchAsync(VolumeSource source, string target, CancellationToken cancellationToken)
    {
        var fetcher = fetchers.FirstOrDefault(f => f.Handles(source)) ?? throw new JobFailedException(WorkflowPhase.Error, $"this node has no fetcher for {source}");
        try
        {
            await fetcher.FetchAsync(source, target, new FetchProgress(time), cancellationToken).ConfigureAwait(false);
        }
        catch (IntegrationFetchException ex)
        {
            // The fetchers' messages name the source already (its URL, never a password).
            throw new JobFailedException(WorkflowPhase.Failed, ex.Message);
        }
    }

    /// <summary><c>with.path</c> (under one of the job's outputs) or the job's only volume/dataset output, as a host folder.</summary>
    private static string Target(JobPlan job, PreparedJob prepared)
    {
        var folders = job.Outputs.Where(o => o.Value.Type is "volume" or "dataset").Select(o => o.Key).ToList();
        var path = Optional(job, "path");
        if (path is null)
        {
            return folders.Count == 1 ? Host(prepared, folders[0], string.Empty)
                : throw new JobFailedException(WorkflowPhase.Error, $"jobs.{job.Id}.with.path: needed when the job has {folders.Count} volume or dataset outputs (say which, e.g. /outputs/NAME)");
        }

        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2 || parts[0] != "outputs" || !folders.Contains(parts[1]) || parts.Any(p => p is "." or ".."))
        {
            throw new JobFailedException(WorkflowPhase.Error, $"jobs.{job.Id}.with.path: '{path}' must be /outputs/NAME[/sub/folder] for one of the job's volume or dataset outputs ({string.Join(", ", folders)})");
        }

        return Host(prepared, parts[1], string.Join('/', parts.Skip(2)));
    }

    private static string Host(PreparedJob prepared, string output, string rest)
    {
        var root = prepared.Binds.First(b => b.Target == $"{JobMounts.OutputsRoot}/{output}").Source;
        var target = rest.Length == 0 ? root : Path.Combine(root, rest);
        Directory.CreateDirectory(target);
        return target;
    }

    private static string Required(JobPlan job, string key) =>
        job.With.TryGetValue(key, out var value) && value.Length > 0 ? value : throw new JobFailedException(WorkflowPhase.Error, $"jobs.{job.Id}.with.{key}: required for {job.Action}");

    private static string? Optional(JobPlan job, string key) => job.With.TryGetValue(key, out var value) && value.Length > 0 ? value : null;

    private static async Task CopyTreeAsync(string from, string to, CancellationToken cancellationToken)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        }

        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            // A version's sparse file (up to 1 TiB of holes) keeps its holes: a plain copy wrote them out as zeros.
            await SparseCopy.CopyFileAsync(file, Path.Combine(to, Path.GetRelativePath(from, file)), cancellationToken).ConfigureAwait(false);
        }
    }
}

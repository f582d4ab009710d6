using System.Globalization;
using System.Text.Json;
using GradientNode.Core.Common;

namespace GradientNode.Core.Workflows.Runs;

/// <summary>
/// Runs under the state dir, numbered per workflow: <c>workflows/NAME/N/</c> holds <c>run.json</c> (plan, status,
/// open writes; replaced atomically on every change), the run's own copy of the spec and inputs as given, and the
/// jobs' mount folders (<c>jobs/JOB/{inputs,outputs}</c>, <c>volumes/JOB/NAME</c>) and kept logs. Survives restarts.
/// The root is 0700: the kept logs, string values and outputs are for API users (the socket group) only, and a job's
/// output folders are writable by any user in its container (<c>JobMounts</c>).
/// </summary>
public sealed class WorkflowRunStore(string stateDir)
{
    private readonly Lock _gate = new();

    public string Root { get; } = Path.Combine(stateDir, "workflows");

    public string RunDir(string workflow, int run) => Path.Combine(Root, Checked(workflow), run.ToString(CultureInfo.InvariantCulture));

    /// <summary>The folder of one job's mounts and kept log.</summary>
    public string JobDir(string workflow, int run, string job) => Path.Combine(RunDir(workflow, run), "jobs", Checked(job));

    /// <summary>
    /// Makes the root when missing and sets it to 0700, also when an earlier version left it readable by every local
    /// user (0755), so nobody outside the API reads a run's logs, outputs or inputs.
    /// </summary>
    public void SecureRoot()
    {
        Directory.CreateDirectory(Root);
        File.SetUnixFileMode(Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>Creates the next run of <paramref name="plan"/>'s workflow with its copy of the spec and inputs.</summary>
    public RunRecord Create(RunPlan plan, string specText, string? inputsText, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(plan);
        lock (_gate)
        {
            SecureRoot();
            var dir = Path.Combine(Root, Checked(plan.Workflow));
            Directory.CreateDirectory(dir);
            var number = RunNumbers(plan.Workflow).DefaultIfEmpty(0).Max() + 1;
            var runDir = RunDir(plan.Workflow, number);
            Directory.CreateDirectory(runDir);
            File.WriteAllText(Path.Combine(runDir, "spec.yaml"), specText);
            File.WriteAllText(Path.Combine(runDir, "inputs.json"), inputsText ?? "{}");
            var record = new RunRecord
            {
                Plan = plan,
                Status = new WorkflowRunStatus
                {
                    Workflow = plan.Workflow,
                    Run = number,
                    Created = now,
                    Jobs = plan.Jobs.ToDictionary(j => j.Id, j => new JobStatus { Needs = j.Needs }, StringComparer.Ordinal),
                },
            };
            Save(record);
            return record;
        }
    }

    public void Save(RunRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var path = Path.Combine(RunDir(record.Status.Workflow, record.Status.Run), "run.json");
        AtomicFile.Write(path, JsonSerializer.SerializeToUtf8Bytes(record, WorkflowRunsJsonContext.Default.RunRecord), AtomicFile.OwnerOnly);
    }

    /// <summary>Null when there is no such run (or its record cannot be read).</summary>
    public RunRecord? Get(string workflow, int run)
    {
        if (!WorkflowNameRule.IsValid(workflow))
        {
            return null;
        }

        var path = Path.Combine(RunDir(workflow, run), "run.json");
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllBytes(path), WorkflowRunsJsonContext.Default.RunRecord) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A workflow's runs, oldest first.</summary>
    public IReadOnlyList<RunRecord> Runs(string workflow) => WorkflowNameRule.IsValid(workflow)
        ? RunNumbers(workflow).Order().Select(n => Get(workflow, n)).OfType<RunRecord>().ToList()
        : [];

    public IReadOnlyList<string> Workflows() => Directory.Exists(Root)
        ? Directory.EnumerateDirectories(Root).Select(Path.GetFileName).OfType<string>().Where(WorkflowNameRule.IsValid).Order(StringComparer.Ordinal).ToList()
        : [];

    /// <summary>Every run not finished yet (to continue after a restart).</summary>
    public IReadOnlyList<RunRecord> Unfinished() =>
        Workflows().SelectMany(Runs).Where(r => !r.Status.Phase.IsFinished()).ToList();

    private IEnumerable<int> RunNumbers(string workflow)
    {
        var dir = Path.Combine(Root, workflow);
        return Directory.Exists(dir)
            ? Directory.EnumerateDirectories(dir)
                .Select(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0)
                .Where(n => n > 0)
            : [];
    }

    private static string Checked(string name) =>
        WorkflowNameRule.Check(name) is { } problem ? throw new ArgumentException(problem, nameof(name)) : name;
}

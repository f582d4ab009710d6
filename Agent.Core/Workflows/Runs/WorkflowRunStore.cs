using System.Globalization;
using System.Text.Json;
using GradientNode.Core.Common;

namespace GradientNode.Core.Workflows.Runs;

/// <summary>
/// Runs under the state dir, numbered per workflow: <c>workflows/NAME/N/</c> holds <c>run.json</c> (plan, status,
/// open writes; replaced atomically on every change), the run's own copy of the spec and inputs as given, and the
/// jobs' mount folders (<c>jobs/JOB/{inputs,outputs}</c>, <c>volumes/JOB/NAME</c>) and kept logs. Survives restarts.
/// The root is 0700: the kept logs, string values and outputs are for API users (the socket group) only, and a job's
/// output folders are writable by any user in its container (<c>JobMounts</c>). <c>workflows/NAME/last-run</c> holds the
/// highest number ever given to a run of NAME, so a number is never given twice, also after its run was deleted: a new run
/// never meets an old run's folder, containers (labelled with the number) or dataset holds (named after it). It is written
/// twice (<c>last-run</c>, then its copy <c>.last-run.copy</c>), and the next number is one above the highest of both and of
/// every run folder present (a deletion under way included): a damaged copy (not a number) is kept aside with warning 1402
/// and the other still holds the number, so the count never goes back, also after the highest runs were deleted.
/// A number is taken only once its run is whole (<c>last-run</c> written last): a run refused on the way gives it back.
/// </summary>
public sealed class WorkflowRunStore(string stateDir, StateFileDamage? damage = null)
{
    private readonly Lock _gate = new();
    private readonly StateFileDamage _damage = damage ?? StateFileDamage.Unlogged;

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
            var last = LastNumber(plan.Workflow);
            var number = Math.Max(last, TakenNumbers(plan.Workflow).DefaultIfEmpty(0).Max()) + 1;
            var runDir = RunDir(plan.Workflow, number);
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

            // The number is taken once the run is whole, last-run last: a run refused on the way (a full disk) gives its
            // number back (its folder removed, last-run as it was), so the next run gets it.
            var writingLast = false;
            try
            {
                Directory.CreateDirectory(runDir);
                File.WriteAllText(Path.Combine(runDir, "spec.yaml"), specText);
                File.WriteAllText(Path.Combine(runDir, "inputs.json"), inputsText ?? "{}");
                Save(record);
                writingLast = true;
                WriteLastNumber(plan.Workflow, number);
                return record;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                GiveBack(plan.Workflow, runDir, writingLast ? last : null);
                throw;
            }
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

        return Read(Path.Combine(RunDir(workflow, run), "run.json"), out _);
    }

    /// <summary>
    /// The runs whose folder holds a <c>run.json</c> that cannot be read (truncated, not JSON, a field missing): left out of
    /// every listing and not continued, their folder kept as it is. The service names each in a warning at start.
    /// </summary>
    public IReadOnlyList<DamagedRunRecord> Damaged() =>
        [.. Workflows().SelectMany(w => RunNumbers(w).Order().Select(n => (Workflow: w, Run: n)))
            .Select(r => (r.Workflow, r.Run, Path: Path.Combine(RunDir(r.Workflow, r.Run), "run.json")))
            .Select(r => Read(r.Path, out var problem) is null && problem is not null ? new DamagedRunRecord(r.Workflow, r.Run, r.Path, problem) : null)
            .OfType<DamagedRunRecord>()];

    /// <summary>The record at <paramref name="path"/>; null with no <paramref name="problem"/> when there is none, null with one when it cannot be read.</summary>
    private static RunRecord? Read(string path, out string? problem)
    {
        problem = null;
        try
        {
            var record = File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllBytes(path), WorkflowRunsJsonContext.Default.RunRecord) : null;
            if (record is { Plan: null } or { Status: null })
            {
                problem = "its plan or status is null";
                return null;
            }

            if (record is null && File.Exists(path))
            {
                problem = "it holds JSON null";
            }

            return record;
        }
        catch (JsonException ex)
        {
            problem = ex.Message;
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problem = ex.Message;
            return null;
        }
    }

    /// <summary>The number of a workflow's newest run folder (its records unread); null when it has none.</summary>
    public int? Latest(string workflow) => WorkflowNameRule.IsValid(workflow) && RunNumbers(workflow).DefaultIfEmpty().Max() is > 0 and var newest ? newest : null;

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

    /// <summary>
    /// Removes the run's folder (its record, spec and inputs copies, job folders and kept logs): renamed aside first, so
    /// the run is gone from every listing at once, then deleted. False when there is no such run. The caller checks that
    /// the run has ended; its number is never given again (<c>last-run</c>).
    /// </summary>
    public bool Delete(string workflow, int run)
    {
        if (!WorkflowNameRule.IsValid(workflow) || run <= 0)
        {
            return false;
        }

        string doomed;
        lock (_gate)
        {
            var dir = RunDir(workflow, run);
            if (!Directory.Exists(dir))
            {
                return false;
            }

            WriteLastNumber(workflow, Math.Max(LastNumber(workflow), TakenNumbers(workflow).DefaultIfEmpty(0).Max()));
            doomed = Path.Combine(Root, workflow, $"{DeletingPrefix}{run.ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}");
            Directory.Move(dir, doomed);
        }

        RawTree.Delete(doomed); // a job may leave a tree deeper than .NET can delete
        return true;
    }

    /// <summary>Removes what a deletion cut short (a crash between the rename and the delete); returns how many folders went.</summary>
    public int SweepDeleted()
    {
        var swept = 0;
        foreach (var workflow in Workflows())
        {
            foreach (var doomed in Directory.EnumerateDirectories(Path.Combine(Root, workflow), DeletingPrefix + "*"))
            {
                RawTree.Delete(doomed); // a job may leave a tree deeper than .NET can delete
                swept++;
            }
        }

        return swept;
    }

    private const string DeletingPrefix = ".deleting-";

    private string LastNumberFile(string workflow) => Path.Combine(Root, workflow, "last-run");

    private string LastNumberCopy(string workflow) => Path.Combine(Root, workflow, ".last-run.copy");

    /// <summary>The highest number <c>last-run</c> or its copy holds; a damaged one is kept aside (1402) and counts as 0.</summary>
    private int LastNumber(string workflow) =>
        Math.Max(ReadNumber(workflow, LastNumberFile(workflow)), ReadNumber(workflow, LastNumberCopy(workflow)));

    private int ReadNumber(string workflow, string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return 0;
        }

        if (int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return n;
        }

        _damage.Report(path, text.Trim().Length == 0 ? $"it is empty ({text.Length} characters, white space only)" : $"it holds no run number ({text.Length} characters that are not a number)",
            $"the next run of workflow '{workflow}' is numbered one above the highest of its other copy and of the run folders present, so no number is given twice");
        return 0;
    }

    /// <summary>Undoes a run that was not made whole: its folder, and <c>last-run</c> when it may have been written (best effort: what stays only takes the number).</summary>
    private void GiveBack(string workflow, string runDir, int? last)
    {
        try
        {
            if (Directory.Exists(runDir))
            {
                Directory.Delete(runDir, recursive: true);
            }

            if (last is { } previous)
            {
                WriteLastNumber(workflow, previous);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left as it is: a folder or last-run left behind holds the number, so it is never given twice.
        }
    }

    private void WriteLastNumber(string workflow, int number)
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(number.ToString(CultureInfo.InvariantCulture) + "\n");
        AtomicFile.Write(LastNumberFile(workflow), bytes, AtomicFile.OwnerOnly);
        AtomicFile.Write(LastNumberCopy(workflow), bytes, AtomicFile.OwnerOnly);
    }

    /// <summary>The numbers of the run folders present, and of those whose deletion is under way (<c>.deleting-N-…</c>).</summary>
    private IEnumerable<int> RunNumbers(string workflow)
    {
        var dir = Path.Combine(Root, workflow);
        return Directory.Exists(dir)
            ? Directory.EnumerateDirectories(dir)
                .Select(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0)
                .Where(n => n > 0)
            : [];
    }

    /// <summary><see cref="RunNumbers"/> and the numbers of run folders being deleted: none of them may be given again.</summary>
    private IEnumerable<int> TakenNumbers(string workflow)
    {
        var dir = Path.Combine(Root, workflow);
        var deleting = Directory.Exists(dir)
            ? Directory.EnumerateDirectories(dir, DeletingPrefix + "*")
                .Select(d => Path.GetFileName(d)[DeletingPrefix.Length..].Split('-')[0])
                .Select(n => int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : 0)
            : [];
        return RunNumbers(workflow).Concat(deleting);
    }

    private static string Checked(string name) =>
        WorkflowNameRule.Check(name) is { } problem ? throw new ArgumentException(problem, nameof(name)) : name;
}

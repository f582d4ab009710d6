using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// The published binary on a real engine: what a job leaves in a dataset output reaches <c>datasets download</c>, or the
/// job says why not. An output left empty commits a version that downloads as an empty folder; a file whose name has a
/// newline, or is not UTF-8, ends the job FAILED (what the job wrote) naming the file (no version a download could not carry), and <c>datasets gc</c>
/// still works after it.
/// </summary>
[TestFixture]
[Category("E2E")]
[Parallelizable(ParallelScope.Self)]
internal sealed class WorkflowOutputNamesEndToEndTests
{
    private GradientNodeProcess? _node;

    [TearDown]
    public async Task TearDown()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
            _node = null;
        }
    }

    [Test]
    public async Task WorkflowsRun_EmptyOutputThenBadNames_EmptyVersionDownloadsAndBadNamesEndTheJobNamingTheFile()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        _node = await GradientNodeProcess.StartAsync();
        var empty = await WriteAsync("empty.yaml", Job("echo nothing written", "left-empty"));
        var newline = await WriteAsync("newline.yaml", Job("echo x > /outputs/out/new$'\\n'line.txt", "named"));
        var notUtf8 = await WriteAsync("notutf8.yaml", Job("echo x > /outputs/out/bin$'\\xff'.txt", "named"));

        var emptyRun = await _node.CliAsync("workflows", "run", "-f", empty, "--wait");
        var target = Path.Combine(_node.Root, "download");
        var download = await _node.CliAsync("datasets", "download", "left-empty", target);
        var newlineRun = await _node.CliAsync("workflows", "run", "-f", newline, "--wait");
        var notUtf8Run = await _node.CliAsync("workflows", "run", "-f", notUtf8, "--wait");
        var gc = await _node.CliAsync("datasets", "gc");
        var datasets = await _node.CliAsync("datasets", "ls");

        Assert.Multiple(() =>
        {
            Assert.That(emptyRun.ExitCode, Is.Zero, emptyRun.ToString());
            Assert.That(download.ExitCode, Is.Zero, download.ToString());
            Assert.That(download.Stdout, Does.Match(@"left-empty:[a-z0-9]{7} downloaded to .* \(0 bytes, 0 files\)"));
            Assert.That(Directory.EnumerateFileSystemEntries(target), Is.Empty);

            Assert.That(newlineRun.ExitCode, Is.EqualTo(1), newlineRun.ToString());
            Assert.That(newlineRun.Stdout, Does.Contain(
                "a: FAILED: dataset output 'out' (dataset 'named') could not be committed: 'new?line.txt' has a control character in its name (shown as ?, e.g. a newline), which no download could carry: rename it; nothing was committed"));
            Assert.That(notUtf8Run.ExitCode, Is.EqualTo(1), notUtf8Run.ToString());
            Assert.That(notUtf8Run.Stdout, Does.Contain("a: FAILED: dataset output 'out' (dataset 'named') could not be committed: 'bin\uFFFD.txt' has a name that is not UTF-8"));
            Assert.That(newlineRun.Stdout, Does.Match(@"(?m)^run 1: FAILED: "), "the job's doing: the run ends FAILED, not ERROR");
            Assert.That(notUtf8Run.Stdout, Does.Match(@"(?m)^run 1: FAILED: "));
            Assert.That(datasets.Stdout, Does.Not.Match(@"(?m)^named "), "the dataset the failed runs created got no version and is gone");

            Assert.That(gc.ExitCode, Is.Zero, gc.ToString());
            Assert.That(Directory.EnumerateFileSystemEntries(Path.Combine(_node.StateDir, "datasets", ".staging")), Is.Empty, "the failed jobs' staging folders are gone");
        });
    }

    [Test]
    public async Task WorkflowsRun_HostileOutputs_TooDeepAndHugeEndTheJobFailedSayingWhySocketLeftOutAndGcStillWorks()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        _node = await GradientNodeProcess.StartAsync();

        // 3,000 folders deep (past PATH_MAX on the host): an older node failed the job ERROR and kept the staging folder,
        // on which every later datasets gc failed.
        var deep = await WriteAsync("deep.yaml", Job(DeepTree("/outputs/out"), "deep"));
        // busybox's syslogd binds the socket where /dev/log points.
        var socket = await WriteAsync("socket.yaml", Job("echo kept > /outputs/out/kept.txt; ln -sf /outputs/out/job.sock /dev/log; syslogd -n -O /dev/null & for i in $(seq 100); do [ -S /outputs/out/job.sock ] && break; sleep 0.1; done; [ -S /outputs/out/job.sock ]", "with-socket"));
        var huge = await WriteAsync("huge.yaml", $"""
            jobs:
              a:
                uses: script@v1
                with:
                  image: gradient-test/bash:1
                  script: |
                    truncate -s 9G /outputs/s
                outputs:
                  s:
                    type: string
            """);

        // The same tree where no output is declared (the job's /outputs folder) and in a volume output: removed with the run.
        var leftover = await WriteAsync("leftover.yaml", $"""
            jobs:
              a:
                uses: script@v1
                with:
                  image: gradient-test/bash:1
                  script: |
                    {DeepTree("/outputs")} && {DeepTree("/outputs/vol")}
                outputs:
                  vol:
                    type: volume
            """);

        var deepRun = await _node.CliAsync("workflows", "run", "-f", deep, "--wait");
        var leftoverRun = await _node.CliAsync("workflows", "run", "-f", leftover, "--wait");
        var deleted = await _node.CliAsync("workflows", "delete", "leftover", "1");
        var gc = await _node.CliAsync("datasets", "gc");
        var socketRun = await _node.CliAsync("workflows", "run", "-f", socket, "--wait");
        var target = Path.Combine(_node.Root, "download");
        var download = await _node.CliAsync("datasets", "download", "with-socket", target);
        var hugeRun = await _node.CliAsync("workflows", "run", "-f", huge, "--wait");
        var health = await _node.CliAsync("node");

        Assert.Multiple(() =>
        {
            Assert.That(deepRun.ExitCode, Is.EqualTo(1), deepRun.ToString());
            Assert.That(deepRun.Stdout, Does.Match(@"a: FAILED: dataset output 'out' \(dataset 'deep'\) could not be committed: 'd/d/d/.*…' is too deep: its path in the store is 4096 bytes or longer"));
            Assert.That(deepRun.Stdout, Does.Match(@"(?m)^run 1: FAILED: "), "the job's doing: FAILED, not ERROR");
            Assert.That(leftoverRun.ExitCode, Is.Zero, leftoverRun.ToString());
            Assert.That(deleted.ExitCode, Is.Zero, deleted.ToString());
            Assert.That(Directory.Exists(Path.Combine(_node.StateDir, "workflows", "leftover", "1")), Is.False, "the run's folder is gone");
            Assert.That(gc.ExitCode, Is.Zero, gc.ToString());
            Assert.That(Directory.EnumerateFileSystemEntries(Path.Combine(_node.StateDir, "datasets", ".staging")), Is.Empty, "the deep staging folder is gone");

            Assert.That(socketRun.ExitCode, Is.Zero, socketRun.ToString());
            Assert.That(download.ExitCode, Is.Zero, download.ToString());
            Assert.That(Directory.EnumerateFileSystemEntries(target).Select(Path.GetFileName), Is.EqualTo(new[] { "kept.txt" }), "the socket was left out");

            Assert.That(hugeRun.ExitCode, Is.EqualTo(1), hugeRun.ToString());
            Assert.That(hugeRun.Stdout, Does.Contain($"a: FAILED: string output 's' is {9L << 30} bytes, more than the 65536-byte cap"));
            Assert.That(health.ExitCode, Is.Zero, health.ToString());
        });
    }

    /// <summary>3,000 folders deep under <paramref name="folder"/> (bash's cd goes past PATH_MAX; each mkdir's path stays short).</summary>
    private static string DeepTree(string folder) =>
        $"(mkdir -p {folder} && cd {folder} && p=$(printf 'd/%.0s' $(seq 1000)) && for i in 1 2 3; do mkdir -p $p && cd $p || exit 3; done; echo x > f)";

    private static string Job(string script, string dataset) => $"""
        jobs:
          a:
            uses: script@v1
            with:
              image: gradient-test/bash:1
              script: |
                {script}
            outputs:
              out:
                type: dataset
                with:
                  ref: {dataset}
        """;

    private async Task<string> WriteAsync(string name, string yaml)
    {
        var path = Path.Combine(_node!.Root, name);
        await File.WriteAllTextAsync(path, yaml);
        return path;
    }
}
